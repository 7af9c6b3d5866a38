public import Logging
public import PortcullisJOSE
import PortcullisJWT

/// One authorization decision, as audit logs and metrics see it.
///
/// It holds the claims that drove the decision — `sub`, `client_id`, `tenant`, scopes, `kid`,
/// `jti` — and never the token or its signature. Claims are recorded only from verified tokens:
/// for a token that failed verification they are absent, since they could be forged.
public struct AuthorizationEvent: Sendable {
    /// `allow` or `deny`.
    public var allowed: Bool
    /// The reason code (`nil` when allowed).
    public var reason: PortcullisError.Code?
    /// The human explanation of a refusal.
    public var message: String?
    /// The route requirement's name.
    public var route: String
    /// The HTTP method.
    public var method: String
    /// The HTTP status sent for a refusal.
    public var status: Int?
    /// `sub` of the verified token.
    public var subject: String?
    /// `client_id` of the verified token.
    public var clientID: String?
    /// `tenant` of the verified token.
    public var tenant: String?
    /// Granted scopes of the verified token.
    public var scopes: [String]
    /// `kid` of the key that verified the token.
    public var keyID: String?
    /// `jti` of the verified token.
    public var jwtID: String?
    /// The policy path that denied (the denial tree's first leaf), when a policy refused.
    public var policy: String?
    /// Time spent in the authorizer, in microseconds.
    public var latencyMicroseconds: Int

    init(allowed: Bool, route: String, method: String, latencyMicroseconds: Int) {
        self.allowed = allowed
        self.route = route
        self.method = method
        self.scopes = []
        self.latencyMicroseconds = latencyMicroseconds
    }

    mutating func record(_ token: VerifiedToken, scopes: [String]) {
        subject = token.subject
        clientID = token.clientID
        tenant = token["tenant"]?.stringValue
        self.scopes = scopes
        keyID = token.verifiedKeyID
        jwtID = token.jwtID
    }

    /// The event as swift-log metadata, keys prefixed `portcullis.`.
    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "portcullis.decision": .string(allowed ? "allow" : "deny"),
            "portcullis.route": .string(route),
            "portcullis.method": .string(method),
            "portcullis.latency_us": .stringConvertible(latencyMicroseconds),
        ]
        if let reason { metadata["portcullis.reason"] = .string(reason.rawValue) }
        if let message { metadata["portcullis.message"] = .string(message) }
        if let status { metadata["portcullis.status"] = .stringConvertible(status) }
        if let subject { metadata["portcullis.sub"] = .string(subject) }
        if let clientID { metadata["portcullis.client_id"] = .string(clientID) }
        if let tenant { metadata["portcullis.tenant"] = .string(tenant) }
        if !scopes.isEmpty { metadata["portcullis.scopes"] = .array(scopes.map { .string($0) }) }
        if let keyID { metadata["portcullis.kid"] = .string(keyID) }
        if let jwtID { metadata["portcullis.jti"] = .string(jwtID) }
        if let policy { metadata["portcullis.policy"] = .string(policy) }
        return metadata
    }
}
