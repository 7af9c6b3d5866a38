public import Logging

/// One exchange, as logged: who asked, for whom, what was granted and what refused, and why.
/// Tokens themselves are never logged.
public struct ExchangeAuditEvent: Sendable {
    /// Whether a token was issued.
    public var issued: Bool
    /// The authenticated client id (or the id it claimed, when authentication failed).
    public var client: String?
    /// The client authentication method.
    public var authenticationMethod: ClientAuthenticationMethod?
    /// The subject token's `sub`.
    public var subject: String?
    /// The subject token's `iss`.
    public var subjectIssuer: String?
    /// The actor: the actor token's `sub`, or the client id without an actor token.
    public var actor: String?
    /// The tenant.
    public var tenant: String?
    /// The scopes requested.
    public var requestedScopes: [String] = []
    /// The scopes granted.
    public var grantedScopes: [String] = []
    /// The scopes refused, each with its reason.
    public var refusedScopes: [(scope: String, reason: String)] = []
    /// The OAuth error code of a refusal.
    public var error: String?
    /// The explanation of a refusal.
    public var message: String?
    /// The issued token's `jti`.
    public var tokenID: String?

    /// An event for an exchange that has not yet decided.
    public init() {
        issued = false
    }

    /// The event as swift-log metadata.
    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["event": "token_exchange", "outcome": .string(issued ? "issued" : "refused")]
        func put(_ name: String, _ value: String?) { if let value { metadata[name] = .string(value) } }
        put("client", client)
        put("client_auth", authenticationMethod?.rawValue)
        put("subject", subject)
        put("subject_issuer", subjectIssuer)
        put("actor", actor)
        put("tenant", tenant)
        put("error", error)
        put("message", message)
        put("jti", tokenID)
        metadata["requested_scopes"] = .array(requestedScopes.map { .string($0) })
        metadata["granted_scopes"] = .array(grantedScopes.map { .string($0) })
        metadata["refused_scopes"] = .array(refusedScopes.map { .string("\($0.scope): \($0.reason)") })
        return metadata
    }

    /// Logs the event: `info` when issued, `notice` when refused.
    public func log(to logger: Logger) {
        logger.log(level: issued ? .info : .notice, issued ? "token exchange issued" : "token exchange refused", metadata: metadata)
    }
}
