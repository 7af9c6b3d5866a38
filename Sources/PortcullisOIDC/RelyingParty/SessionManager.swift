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

    /// Creates a configuration.
    public init(cookieName: String = "portcullis_session", idleTimeout: Double = 1_800, absoluteTimeout: Double = 28_800, secure: Bool = true) {
        self.cookieName = cookieName
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.secure = secure
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
public struct SessionManager: Sendable {
    /// The configuration.
    public let configuration: SessionConfiguration
    /// The cookie codec (its keys).
    public let codec: SessionCookieCodec
    /// The server-side store.
    public let store: any SessionStore
    private let clock: @Sendable () -> Double

    /// A manager; `codec`'s cookie name must be ``SessionConfiguration/cookieName``.
    public init(
        configuration: SessionConfiguration, codec: SessionCookieCodec, store: any SessionStore = InMemorySessionStore(),
        clock: @escaping @Sendable () -> Double = { NumericDate.now.secondsSince1970 }
    ) {
        self.configuration = configuration
        self.codec = codec
        self.store = store
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
            id: try RandomToken.make(), subject: signIn.idToken.subject, token: signIn.idToken.token,
            rawIDToken: signIn.rawIDToken, csrfToken: try RandomToken.make(), createdAt: now, lastSeen: now)
        try await store.save(session)
        let payload = JSONValue.object([
            "sid": .string(session.id), "exp": .number(JSONNumber(now + configuration.absoluteTimeout)),
        ]).serializedBytes()
        let value = try codec.seal(payload)
        return (session, setCookie(value, maxAge: Int(configuration.absoluteTimeout)))
    }

    /// The live session of a cookie, or `nil` when the cookie is absent, altered, sealed with an
    /// unknown key, past its absolute deadline, idle too long, or revoked. A live session's last use
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
        session.lastSeen = now
        try? await store.save(session)
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
