public import PortcullisJOSE
public import PortcullisJWT

/// A validated Logout Token (OpenID Connect Back-Channel Logout 1.0 §2.4): the provider says the
/// user's session ended there — sign-out elsewhere, an administrator ending it, an account
/// disabled — and the relying party ends its own sessions for it.
public struct LogoutToken: Sendable {
    /// `sub`: every session of this user ends (when ``sessionID`` is absent).
    public let subject: String?
    /// `sid`: the provider's session id (the ID token's `sid`); only sessions of it end.
    public let sessionID: String?
    /// `jti`.
    public let jwtID: String
    /// The verified token.
    public let token: VerifiedToken

    /// The `events` member that marks a Logout Token (§2.4).
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
}

extension RelyingParty {
    /// Validates a Logout Token POSTed to the client's `backchannel_logout_uri` (§2.6): the
    /// signature with the provider's keys and its ID-token algorithms, `iss` the provider, `aud`
    /// containing the client id, `exp`; then `iat` and `jti` present, `events` holding the
    /// back-channel-logout member with an object value, `sub` or `sid` (or both), **no** `nonce` (so
    /// an ID token can never pass as a Logout Token), a `typ` header, when present, of `logout+jwt`
    /// or `JWT` (§2.4 recommends explicit typing; older providers send `JWT`), and a `jti` not seen
    /// before until the token expires (§2.6 step 7; the cache is ``logoutReplays``).
    /// - Throws: `invalid_request` (code) for a token that is not a valid Logout Token, with the
    ///   verifier's own codes (`invalid_signature`, `expired`, `invalid_audience`, …) for those rules.
    public func validateLogoutToken(_ compact: String) async throws(PortcullisError) -> LogoutToken {
        let token = try await validator.verifier.verifyToken(Substring(compact))
        func refuse(_ message: String, claim: String? = nil) -> PortcullisError {
            PortcullisError(.invalidRequest, "not a valid Logout Token: \(message) (Back-Channel Logout 1.0 §2.6)", claim: claim)
        }
        guard token.issuer == provider.issuer else { throw refuse("another issuer", claim: "iss") }
        guard token.audience.contains(configuration.clientID) else { throw refuse("not for this client", claim: "aud") }
        if let type = token.header.type, !["logout+jwt", "jwt", "application/logout+jwt"].contains(type.lowercased()) {
            throw refuse("its typ is \(ProviderError.printable(type))", claim: "typ")
        }
        guard token.issuedAt != nil else { throw refuse("no iat", claim: "iat") }
        guard let jti = token.jwtID, !jti.isEmpty else { throw refuse("no jti", claim: "jti") }
        guard let events = token.claims["events"]?.objectValue, events[LogoutToken.event]?.objectValue != nil else {
            throw refuse("no \(LogoutToken.event) event", claim: "events")
        }
        guard token.claims["nonce"] == nil else { throw refuse("it has a nonce", claim: "nonce") }
        let subject = token.subject, sid = token.claims["sid"]?.stringValue
        guard subject != nil || sid != nil else { throw refuse("neither sub nor sid", claim: "sub") }
        guard await logoutReplays.firstUse(of: jti, until: token.expiration.secondsSince1970, now: clock()) else {
            throw refuse("its jti was already used", claim: "jti")
        }
        return LogoutToken(subject: subject, sessionID: sid, jwtID: jti, token: token)
    }
}

/// The `jti`s of accepted Logout Tokens until they expire, bounded: a captured Logout Token
/// cannot be replayed (a replay would only end sessions again, but is refused as §2.6 allows).
public actor LogoutReplayCache {
    private var seen: [String: Double] = [:]
    private let capacity: Int

    /// A cache of at most `capacity` entries (expired ones go first; when still full, the one
    /// closest to expiry).
    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// `true` the first time `jti` is offered before `expiry`; `false` for a replay.
    public func firstUse(of jti: String, until expiry: Double, now: Double) -> Bool {
        if let known = seen[jti], known > now { return false }
        if seen.count >= capacity {
            seen = seen.filter { $0.value > now }
            if seen.count >= capacity, let soonest = seen.min(by: { $0.value < $1.value }) { seen[soonest.key] = nil }
        }
        seen[jti] = expiry
        return true
    }
}
