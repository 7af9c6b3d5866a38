import Yams

/// Turns a composed document into a ``PolicyDocument``: sections, roles and tiers here, policy
/// trees in `PolicyFileParser+Policies.swift`.
final class PolicyFileParser {
    let reader: PolicyFileReader
    var roles: RoleMap?
    var rolesClaim: ClaimPath = "roles"
    var catalog: TierCatalog?

    init(file: String) {
        reader = PolicyFileReader(file: file)
    }

    func document(_ text: String) throws(PolicyFileError) -> PolicyDocument {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw Self.convert(error, file: reader.file)
        } catch {
            throw PolicyFileError(file: reader.file, line: nil, column: nil, field: "", message: "\(error)")
        }
        guard let root else {
            throw PolicyFileError(file: reader.file, line: 1, column: 1, field: "", message: "the document is empty")
        }
        let sections = try reader.mapping(root, "", allowed: ["version", "roles", "tiers", "routes"], required: ["version", "routes"])
        func section(_ key: String) -> Node? { sections.first { $0.key == key }?.value }
        if let version = section("version") { _ = try reader.int(version, "version", in: 1...1) }
        // Roles and tiers first: route policies refer to them.
        if let node = section("roles") { try parseRoles(node) }
        if let node = section("tiers") { try parseTiers(node) }
        var routes: [PolicyDocument.Route] = []
        var seen: Set<String> = []
        for (index, node) in try reader.sequence(section("routes") ?? .sequence(.init([])), "routes").enumerated() {
            let route = try parseRoute(node, "routes[\(index)]")
            for method in route.methods {
                guard seen.insert("\(method) \(route.route)").inserted else {
                    throw reader.error(node, "routes[\(index)]", "\(method) \(route.route) is already defined by an earlier route")
                }
            }
            routes.append(route)
        }
        return PolicyDocument(source: reader.file, routes: routes, roles: roles, rolesClaim: rolesClaim, catalog: catalog)
    }

    static func convert(_ error: YamlError, file: String) -> PolicyFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PolicyFileError(file: file, line: mark.line, column: mark.column, field: "", message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PolicyFileError(
                file: file, line: context.mark.line, column: context.mark.column, field: "",
                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))")
        default:
            return PolicyFileError(file: file, line: nil, column: nil, field: "", message: "YAML: \(error)")
        }
    }

    private func parseRoles(_ node: Node) throws(PolicyFileError) {
        let entries = try reader.mapping(node, "roles", allowed: ["claim", "grants"], required: ["grants"])
        var parsed: [RoleMap.Role] = []
        for (key, _, value) in entries {
            switch key {
            case "claim": rolesClaim = ClaimPath(try reader.string(value, "roles.claim"))
            default:
                for (name, permissions) in try reader.dictionary(value, "roles.grants") {
                    guard !name.isEmpty else { throw reader.error(value, "roles.grants", "a role name must not be empty") }
                    parsed.append(RoleMap.Role(name: name, permissions: try reader.strings(permissions, "roles.grants.\(name)")))
                }
            }
        }
        roles = RoleMap(roles: parsed)
    }

    private func parseTiers(_ node: Node) throws(PolicyFileError) {
        let entries = try reader.mapping(node, "tiers", allowed: ["source", "claim", "default", "list"], required: ["list"])
        var source = "scopes", claim: ClaimPath = "tier", defaultTier: (String, Node)?
        var tiers: [Tier] = []
        for (key, _, value) in entries {
            switch key {
            case "source":
                source = try reader.string(value, "tiers.source")
                guard source == "scopes" || source == "claim" else {
                    throw reader.error(value, "tiers.source", "expected scopes or claim, found \"\(source)\"")
                }
            case "claim": claim = ClaimPath(try reader.string(value, "tiers.claim"))
            case "default": defaultTier = (try reader.string(value, "tiers.default"), value)
            default:
                for (index, element) in try reader.sequence(value, "tiers.list").enumerated() {
                    let tier = try parseTier(element, "tiers.list[\(index)]")
                    guard !tiers.contains(where: { $0.name == tier.name }) else {
                        throw reader.error(element, "tiers.list[\(index)].name", "the tier \"\(tier.name)\" is defined twice")
                    }
                    tiers.append(tier)
                }
            }
        }
        if let (name, node) = defaultTier, !tiers.contains(where: { $0.name == name }) {
            throw reader.error(
                node, "tiers.default", "unknown tier \"\(name)\" (defined: \(tiers.map(\.name).joined(separator: ", ")))")
        }
        catalog = TierCatalog(tiers: tiers, source: source == "claim" ? .claim(claim) : .scopes, defaultTier: defaultTier?.0)
    }

    private func parseTier(_ node: Node, _ field: String) throws(PolicyFileError) -> Tier {
        let entries = try reader.mapping(
            node, field, allowed: ["name", "scopes", "models", "max_tokens", "rate_limit", "quota"],
            required: ["name", "models", "max_tokens"])
        var tier = Tier(name: "", models: [], maxTokens: 0)
        for (key, _, value) in entries {
            let path = "\(field).\(key)"
            switch key {
            case "name": tier.name = try reader.string(value, path)
            case "scopes": tier.scopes = try reader.strings(value, path)
            case "models": tier.models = try reader.strings(value, path)
            case "max_tokens": tier.maxTokens = try reader.int(value, path, in: 1...10_000_000)
            case "rate_limit":
                let limit = try reader.mapping(value, path, allowed: ["requests", "period", "burst"], required: ["requests", "period"])
                var requests = 0, period = 60.0, burst: Int?
                for (limitKey, _, limitValue) in limit {
                    switch limitKey {
                    case "requests": requests = try reader.int(limitValue, "\(path).requests", in: 1...1_000_000_000)
                    case "period": period = try reader.seconds(limitValue, "\(path).period")
                    default: burst = try reader.int(limitValue, "\(path).burst", in: 1...1_000_000_000)
                    }
                }
                tier.rateLimit = RateLimit(requests: requests, period: period, burst: burst)
            default:
                let quota = try reader.mapping(value, path, allowed: ["unit", "limit", "period"], required: ["unit", "limit", "period"])
                var unit = "", limit = 0, period = 86_400.0
                for (quotaKey, _, quotaValue) in quota {
                    switch quotaKey {
                    case "unit": unit = try reader.string(quotaValue, "\(path).unit")
                    case "limit": limit = try reader.int(quotaValue, "\(path).limit", in: 0...Int(Int64.max >> 1))
                    default: period = try reader.seconds(quotaValue, "\(path).period")
                    }
                }
                tier.quota = Quota(unit: unit, limit: limit, period: period)
            }
        }
        return tier
    }
}
