public import PortcullisJOSE
import PortcullisJWT

/// One authorization decision as a structured record, for audit logs: what was decided, by which
/// rule, for whom, on which route, and the claims that drove it — never the token itself, nor its
/// signature.
///
/// ```swift
/// let decision = policy.evaluate(context)
/// sink.record(PolicyAuditEvent(context: context, policy: policy.name, decision: decision))
/// ```
public struct PolicyAuditEvent: Sendable, Hashable {
    /// Allow or deny.
    public enum Decision: String, Sendable, Hashable {
        /// The request was allowed.
        case allow
        /// The request was refused.
        case deny
    }

    /// The decision.
    public var decision: Decision
    /// The reason code of a denial (`insufficient_scope`, `access_denied`, …); `nil` when allowed.
    public var code: PortcullisError.Code?
    /// The rules from the root of the policy tree down to the one that decided a denial (for an
    /// allow, the root alone).
    public var policyPath: [String]
    /// `sub`.
    public var subject: String?
    /// `client_id`, else `azp`.
    public var clientID: String?
    /// The token's tenant claim, when a string.
    public var tenant: String?
    /// The granted scopes.
    public var scopes: [String]
    /// `iss`.
    public var issuer: String?
    /// The `kid` of the key that verified the token.
    public var keyID: String?
    /// `jti`.
    public var jwtID: String?
    /// The request method.
    public var method: String
    /// The route.
    public var route: String
    /// The resource's tenant, when the request reaches one.
    public var resourceTenant: String?
    /// The denial tree as JSON (``Denial/jsonValue``), `nil` when allowed.
    public var denial: JSONValue?

    /// Builds the event for `decision`, taken on `context` by the policy called `policy`.
    /// - Parameter tenantClaim: where the token's tenant is (default `tenant`).
    public init(context: PolicyContext, policy: String, decision: PolicyDecision, tenantClaim: ClaimPath = "tenant") {
        let token = context.token
        self.subject = token.subject
        self.clientID = AllowClients.client(of: context)?.value
        self.tenant = context.claim(tenantClaim)?.stringValue
        self.scopes = context.scopes
        self.issuer = token.issuer
        self.keyID = token.verifiedKeyID
        self.jwtID = token.jwtID
        self.method = context.request.method
        self.route = context.request.route
        self.resourceTenant = context.request.resource.tenant
        switch decision {
        case .allow:
            self.decision = .allow
            self.code = nil
            self.policyPath = [policy]
            self.denial = nil
        case .deny(let denial):
            self.decision = .deny
            self.code = denial.code
            var path = [denial.policy]
            var node = denial
            while let child = node.children.first {
                path.append(child.policy)
                node = child
            }
            self.policyPath = path[0] == policy ? path : [policy] + path
            self.denial = denial.jsonValue
        }
    }

    /// The event as one JSON object (absent values omitted), for structured log lines.
    public var jsonValue: JSONValue {
        var members: [JSONObject.Member] = [
            .init(name: "decision", value: .string(decision.rawValue)),
        ]
        func add(_ name: String, _ value: String?) {
            if let value { members.append(.init(name: name, value: .string(value))) }
        }
        add("code", code?.rawValue)
        members.append(.init(name: "policy_path", value: .array(policyPath.map(JSONValue.string))))
        add("sub", subject)
        add("client_id", clientID)
        add("tenant", tenant)
        members.append(.init(name: "scopes", value: .array(scopes.map(JSONValue.string))))
        add("iss", issuer)
        add("kid", keyID)
        add("jti", jwtID)
        add("method", method)
        add("route", route)
        add("resource_tenant", resourceTenant)
        if let denial { members.append(.init(name: "denial", value: denial)) }
        return .object(JSONObject(uniqueMembers: members))
    }

    /// Flat string metadata (for logging APIs keyed by strings, such as swift-log's `Logger.Metadata`).
    public var metadata: [String: String] {
        var fields: [String: String] = [
            "decision": decision.rawValue, "policy_path": policyPath.joined(separator: " > "),
            "scopes": scopes.joined(separator: " "), "method": method, "route": route,
        ]
        fields["code"] = code?.rawValue
        fields["sub"] = subject
        fields["client_id"] = clientID
        fields["tenant"] = tenant
        fields["iss"] = issuer
        fields["kid"] = keyID
        fields["jti"] = jwtID
        fields["resource_tenant"] = resourceTenant
        fields["denial"] = denial?.serializedString()
        return fields
    }
}
