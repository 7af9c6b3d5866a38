public import PortcullisJOSE
import PortcullisCrypto
public import PortcullisJWT

/// The session cookie's attributes and the session timeouts.
public struct SessionConfiguration: Sendable {
    /// The cookie name (default `portcullis_session`).
    public var cookieName: String
    /// A session unused this long ends, in seconds (default 30 minutes).
    public var idleTimeout: Double
    /// A session ends this long after sign-in however it is used, in seconds (default 8 hours).
    public var absoluteTimeout: Double
    /// Send the cookie only over https (`Secure`). Turn it off only for a loopback `http` URL in
    /// development (see ``SessionConfiguration/secureFlag(forPublicURL:)``).
    public var secure: Bool
    /// With a relying party, the refresh token is used this long before the access token expires,
    /// in seconds (default 60; at most half the token's lifetime).
    public var refreshMargin: Double
    /// With a relying party, the session's claims are re-read (a refresh) at least this often, in
    /// seconds, even while the access token is valid: the bound on how long a demoted user keeps a
    /// role. `nil` (the default): at the access token's expiry only.
    public var claimsMaximumAge: Double?

    /// Creates a configuration.
    public init(
        cookieName: String = "portcullis_session", idleTimeout: Double = 1_800, absoluteTimeout: Double = 28_800, secure: Bool = true,
        refreshMargin: Double = 60, claimsMaximumAge: Double? = nil
    ) {
        self.cookieName = cookieName
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.secure = secure
        self.refreshMargin = refreshMargin
        self.claimsMaximumAge = claimsMaximumAge
    }

    /// `false` only for a plain `http` URL on a loopback host (browsers drop `Secure` cookies
    /// set over plain http, so development on 127.0.0.1 would not work); `true` otherwise.
    public static func secureFlag(forPublicURL url: String) -> Bool {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") else { return true }
        var host = lower.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.hasPrefix("[") { host = host.prefix { $0 != "]" }.dropFirst() } else { host = host.prefix { $0 != ":" } }
        return !RemoteURLRule.isLoopback(String(host))
    }
}

/// Sessions: the encrypted cookie (``SessionCookieCodec``) carries the session id and its absolute
/// deadline; the ``SessionStore`` holds the session, so logout revokes it on the server.
///
/// With a ``RelyingParty``, ``resume(_:)`` also keeps the session's claims current: before the
/// access token expires (``SessionConfiguration/refreshMargin``) and whenever the claims are older
/// than ``SessionConfiguration/claimsMaximumAge``, it uses the refresh token and re-reads the
/// claims (``RelyingParty/refresh(_:signedIn:)``). Concurrent requests of one session share one
/// refresh (a rotated refresh token works once). A refused refresh ends the session; an
/// unreachable provider keeps it only until the access token expires or the claims pass their
/// maximum age — never beyond (fail closed). Without a refresh token the session ends at those
/// same deadlines.
public struct SessionManager: Sendable {
    /// The configuration.
    public let configuration: SessionConfiguration
    /// The cookie codec (its keys).
    public let codec: SessionCookieCodec
    /// The server-side store.
    public let store: any SessionStore
    /// The relying party that refreshes sessions, or `nil` (claims then stay as at sign-in).
    public let relyingParty: RelyingParty?
    let clock: @Sendable () -> Double
    let refreshes = RefreshGate()

    /// A manager; `codec`'s cookie name must be ``SessionConfiguration/cookieName``.
    /// - Parameter relyingParty: Refreshes the sessions' tokens and claims (see the type's documentation).
    public init(
        configuration: SessionConfiguration, codec: SessionCookieCodec, store: any SessionStore = InMemorySessionStore(),
        relyingParty: RelyingParty? = nil, clock: @escaping @Sendable () -> Double = { NumericDate.now.secondsSince1970 }
    ) {
        self.configuration = configuration
        self.codec = codec
        self.store = store
        self.relyingParty = relyingParty
        self.clock = clock
    }

    /// Begins a session for `signIn` with a **new** random id (never the one of a previous cookie:
    /// no session fixation, OWASP ASVS V3.2.1); the previous session of this browser, if any, is
    /// revoked.
    /// - Returns: The session and its `Set-Cookie` value.
    public func begin(_ signIn: SignIn, replacing previousCookie: String?) async throws(PortcullisError) -> (session: Session, setCookie: String) {
        if let previous = sessionID(previousCookie) { try await store.revoke(id: previous.id) }
        let now = clock()
        let session = Session(
            id: try RandomToken.make(), subject: signIn.idToken.subject, token: signIn.authorizationToken,
            rawIDToken: signIn.rawIDToken, csrfToken: try RandomToken.make(), createdAt: now, lastSeen: now,
            accessToken: signIn.tokens.accessToken, refreshToken: signIn.tokens.refreshToken,
            accessTokenExpiresAt: signIn.tokens.expiresIn.map { signIn.completedAt + $0 }, claimsReadAt: signIn.completedAt)
        try await store.save(session)
        let payload = JSONValue.object([
            "sid": .string(session.id), "exp": .number(JSONNumber(now + configuration.absoluteTimeout)),
        ]).serializedBytes()
        let value = try codec.seal(payload)
        return (session, setCookie(value, maxAge: Int(configuration.absoluteTimeout)))
    }

    /// The live session of a cookie, or `nil` when the cookie is absent, altered, sealed with an
    /// unknown key, past its absolute deadline, idle too long, or revoked — or when its claims
    /// are due for a refresh that fails (see the type's documentation). A live session's last use
    /// is updated; an expired one is revoked.
    public func resume(_ cookie: String?) async -> Session? {
        guard let reference = sessionID(cookie), var session = try? await store.load(id: reference.id) else { return nil }
        let now = clock()
        guard now < reference.deadline, now - session.createdAt < configuration.absoluteTimeout,
              now - session.lastSeen < configuration.idleTimeout
        else {
            try? await store.revoke(id: session.id)
            return nil
        }
        guard let current = await keepingClaimsCurrent(session, now: now) else { return nil }
        session = current
        session.lastSeen = now
        // Written back only if still stored: a logout (local or back-channel) that happened while
        // this request was refreshing must not be undone.
        guard (try? await store.update(session)) == true else { return nil }
        return session
    }

    /// Ends the cookie's session on the server.
    /// - Returns: The session that ended, if one was live.
    @discardableResult
    public func end(_ cookie: String?) async -> Session? {
        guard let reference = sessionID(cookie), let session = try? await store.load(id: reference.id) else { return nil }
        try? await store.revoke(id: session.id)
        return session
    }

    /// Ends the sessions a validated Logout Token names (OpenID Connect Back-Channel Logout 1.0
    /// §2.7): with `sid`, the sessions whose ID token carried that `sid` (and that `sub`, when the
    /// token has one); with `sub` only, every session of that user. Sessions of another issuer are
    /// never touched. Ending nothing is success (logout is idempotent).
    /// - Returns: How many sessions ended.
    /// - Throws: `invalid_request` when the store is not a ``SearchableSessionStore``.
    @discardableResult
    public func end(_ logout: LogoutToken) async throws(PortcullisError) -> Int {
        guard let searchable = store as? any SearchableSessionStore else {
            throw PortcullisError(.invalidRequest, "the session store cannot find sessions by user (make it a SearchableSessionStore)")
        }
        let issuer = logout.token.issuer, subject = logout.subject, sid = logout.sessionID
        return try await searchable.revokeSessions { session in
            guard session.token.issuer == issuer else { return false }
            if let sid {
                return session.token.claims["sid"]?.stringValue == sid && (subject == nil || session.subject == subject)
            }
            return session.subject == subject
        }
    }

    /// `Set-Cookie` for `value`: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on
    /// cross-site subrequests and POSTs, RFC 6265bis §5.4.7), `Secure` unless configured off, `Path=/`.
    public func setCookie(_ value: String, maxAge: Int) -> String {
        "\(configuration.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(configuration.secure ? "; Secure" : "")"
    }

    /// `Set-Cookie` that deletes the cookie.
    public var clearCookie: String { setCookie("", maxAge: 0) }

    /// The session id and deadline sealed in a cookie value.
    private func sessionID(_ cookie: String?) -> (id: String, deadline: Double)? {
        guard let cookie, let payload = codec.open(cookie), let json = try? JSONReader.parseObject(payload),
              let id = json["sid"]?.stringValue, let deadline = json["exp"]?.numberValue?.doubleValue
        else { return nil }
        return (id, deadline)
    }
}

/// Reading cookies from a `Cookie` request header (RFC 6265 §5.4).
public enum CookieHeader {
    /// Every value of cookie `name`, in order (a name may appear more than once).
    public static func values(named name: String, in headers: [String]) -> [String] {
        headers.flatMap { $0.split(separator: ";") }.compactMap { pair in
            let trimmed = pair.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { return nil }
            return String(trimmed[trimmed.index(after: equals)...])
        }
    }
}
