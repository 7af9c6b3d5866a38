import PortcullisJOSE
import Yams

/// Policy trees: each node is a mapping with exactly one key naming the rule, or a list (all of).
extension PolicyFileParser {
    static let policyKinds = [
        "all_of", "any_of", "not", "scopes", "permission", "tenant", "claim", "issuers", "clients",
        "recency", "tier_limits", "authenticated",
    ]
    /// The deepest policy tree accepted.
    static let maximumDepth = 32

    func parseRoute(_ node: Node, _ field: String) throws(PolicyFileError) -> PolicyDocument.Route {
        let entries = try reader.mapping(node, field, allowed: ["method", "route", "policy"], required: ["method", "route", "policy"])
        var methods: [String] = [], route = "", policyNode: Node?
        for (key, _, value) in entries {
            let path = "\(field).\(key)"
            switch key {
            case "method":
                methods = value.sequence == nil ? [try reader.string(value, path)] : try reader.strings(value, path)
                for method in methods where !method.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) {
                    throw reader.error(value, path, "\"\(method)\" is not an upper-case HTTP method")
                }
                if methods.isEmpty { throw reader.error(value, path, "must name at least one method") }
            case "route":
                route = try reader.string(value, path)
                guard route.hasPrefix("/") else { throw reader.error(value, path, "a route starts with \"/\"") }
            default:
                policyNode = value
            }
        }
        let name = "\(methods.joined(separator: ",")) \(route)"
        guard let policyNode else { throw reader.error(node, field, "the required key \"policy\" is missing") }
        let policy = try parsePolicy(policyNode, "\(field).policy", depth: 0, rootName: name)
        return PolicyDocument.Route(methods: methods, route: route, policy: policy, line: node.mark?.line ?? 0)
    }

    /// One policy node. `rootName` names a route's top-level `all_of` (or wraps another rule).
    func parsePolicy(_ node: Node, _ field: String, depth: Int, rootName: String? = nil) throws(PolicyFileError) -> any Policy {
        guard depth < Self.maximumDepth else { throw reader.error(node, field, "the policy is nested deeper than \(Self.maximumDepth)") }
        if node.sequence != nil {
            return AllOf(rootName ?? "allOf", policies: try parsePolicies(node, field, depth: depth))
        }
        let entries = try reader.mapping(node, field, allowed: Self.policyKinds)
        guard entries.count == 1, let (kind, keyNode, value) = entries.first else {
            throw reader.error(
                node, field, entries.isEmpty
                    ? "a policy needs one of: \(Self.policyKinds.joined(separator: ", "))"
                    : "a policy has exactly one key; use all_of or any_of to combine \(entries.map(\.key).joined(separator: " and "))")
        }
        let path = "\(field).\(kind)"
        let policy: any Policy
        switch kind {
        case "all_of": return AllOf(rootName ?? "allOf", policies: try parsePolicies(value, path, depth: depth))
        case "any_of": policy = AnyOf(policies: try parsePolicies(value, path, depth: depth))
        case "not": policy = Not(try parsePolicy(value, path, depth: depth + 1))
        case "scopes": policy = try parseScopes(value, path)
        case "permission": policy = try parsePermission(value, path)
        case "tenant": policy = try parseTenant(value, path)
        case "claim": policy = try parseClaim(value, path)
        case "issuers": policy = AllowIssuers(try nonEmptyStrings(value, path))
        case "clients": policy = AllowClients(try nonEmptyStrings(value, path))
        case "recency": policy = RequireRecentAuthentication(maxAge: try reader.seconds(value, path))
        case "tier_limits":
            guard try reader.bool(value, path) else { throw reader.error(value, path, "only tier_limits: true is meaningful") }
            guard let catalog else { throw reader.error(keyNode, path, "tier_limits needs a tiers section") }
            policy = TierLimits(catalog)
        default:
            guard try reader.bool(value, path) else { throw reader.error(value, path, "only authenticated: true is meaningful") }
            policy = AllowAuthenticated()
        }
        return rootName.map { AllOf($0, policies: [policy]) } ?? policy
    }

    private func parsePolicies(_ node: Node, _ field: String, depth: Int) throws(PolicyFileError) -> [any Policy] {
        var policies: [any Policy] = []
        for (index, element) in try reader.sequence(node, field).enumerated() {
            policies.append(try parsePolicy(element, "\(field)[\(index)]", depth: depth + 1))
        }
        return policies
    }

    private func nonEmptyStrings(_ node: Node, _ field: String) throws(PolicyFileError) -> [String] {
        let values = try reader.strings(node, field)
        if values.isEmpty { throw reader.error(node, field, "must list at least one value") }
        return values
    }

    /// `scopes: [a, b]` (all of), or `scopes: {all_of: [...]}` / `{any_of: [...]}`.
    private func parseScopes(_ node: Node, _ field: String) throws(PolicyFileError) -> any Policy {
        if node.sequence != nil { return RequireScopes(allOf: try checkedScopes(node, field)) }
        let entries = try reader.mapping(node, field, allowed: ["all_of", "any_of"])
        guard entries.count == 1, let (mode, _, value) = entries.first else {
            throw reader.error(node, field, "give either all_of or any_of")
        }
        let scopes = try checkedScopes(value, "\(field).\(mode)")
        return mode == "all_of" ? RequireScopes(allOf: scopes) : RequireScopes(anyOf: scopes)
    }

    private func checkedScopes(_ node: Node, _ field: String) throws(PolicyFileError) -> [String] {
        let scopes = try nonEmptyStrings(node, field)
        for scope in scopes where scope.contains(" ") {
            throw reader.error(node, field, "\"\(scope)\" contains a space; list each scope separately")
        }
        return scopes
    }

    private func parsePermission(_ node: Node, _ field: String) throws(PolicyFileError) -> any Policy {
        let permission = try reader.string(node, field)
        guard let roles else { throw reader.error(node, field, "permission needs a roles section") }
        guard !roles.roles(granting: permission).isEmpty else {
            throw reader.error(node, field, "no role in roles.grants grants \"\(permission)\"")
        }
        return RequirePermission(permission, roles: roles, claim: rolesClaim)
    }

    /// `tenant: "dataset:read:{resource.tenant}"` or `tenant: {scope: ..., claim: tenant}`.
    private func parseTenant(_ node: Node, _ field: String) throws(PolicyFileError) -> any Policy {
        var template = "", claim: ClaimPath = "tenant", templateNode = node, templateField = field
        if node.mapping != nil {
            for (key, _, value) in try reader.mapping(node, field, allowed: ["scope", "claim"], required: ["scope"]) {
                if key == "scope" {
                    template = try reader.string(value, "\(field).scope")
                    (templateNode, templateField) = (value, "\(field).scope")
                } else {
                    claim = ClaimPath(try reader.string(value, "\(field).claim"))
                }
            }
        } else {
            template = try reader.string(node, field)
        }
        do {
            return try TenantAlignment(scopeTemplate: template, tenantClaim: claim)
        } catch {
            throw reader.error(templateNode, templateField, error.message)
        }
    }

    /// `claim: {path: p, equals: v | contains: s | matches: re | present: true}`.
    private func parseClaim(_ node: Node, _ field: String) throws(PolicyFileError) -> any Policy {
        let conditions = ["equals", "contains", "matches", "present"]
        let entries = try reader.mapping(node, field, allowed: ["path"] + conditions, required: ["path"])
        let conditionEntries = entries.filter { $0.key != "path" }
        guard conditionEntries.count == 1, let (kind, _, value) = conditionEntries.first else {
            throw reader.error(node, field, "give exactly one of: \(conditions.joined(separator: ", "))")
        }
        guard let pathNode = entries.first(where: { $0.key == "path" })?.value else {
            throw reader.error(node, field, "the required key \"path\" is missing")
        }
        let path = ClaimPath(try reader.string(pathNode, "\(field).path"))
        let valueField = "\(field).\(kind)"
        switch kind {
        case "equals": return RequireClaim(path, .equals(try jsonValue(value, valueField)))
        case "contains": return RequireClaim(path, .contains(try reader.string(value, valueField)))
        case "matches":
            do {
                return RequireClaim(path, .matches(try ClaimPattern(try reader.string(value, valueField))))
            } catch let error as PolicyFileError {
                throw error
            } catch let error as PortcullisError {
                throw reader.error(value, valueField, error.message)
            } catch {
                throw reader.error(value, valueField, "\(error)")
            }
        default:
            guard try reader.bool(value, valueField) else { throw reader.error(value, valueField, "only present: true is meaningful") }
            return RequireClaim(path, .present)
        }
    }

    /// A scalar as a JSON value: string, integer, number, boolean or null.
    private func jsonValue(_ node: Node, _ field: String) throws(PolicyFileError) -> JSONValue {
        switch node.tagName {
        case .str: return .string(try reader.string(node, field, nonEmpty: false))
        case .bool: return .bool(try reader.bool(node, field))
        case .null: return .null
        case .int:
            guard let value = node.int else { break }
            return .number(JSONNumber(value))
        case .float:
            guard let value = node.float, value.isFinite else { break }
            return .number(JSONNumber(value))
        default: break
        }
        throw reader.error(node, field, "expected a string, number, boolean or null, found \(PolicyFileReader.kind(node))")
    }
}
