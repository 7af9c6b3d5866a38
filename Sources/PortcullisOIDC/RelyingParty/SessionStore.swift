public import PortcullisJOSE
public import PortcullisJWT

/// A signed-in browser session, kept on the server; the cookie carries only its (encrypted) id.
/// The provider's tokens stay here too: they never reach the browser.
public struct Session: Sendable {
    /// The random session id (256 bits), new at every sign-in.
    public let id: String
    /// The ID token's `sub`.
    public let subject: String
    /// The claims the session authorizes with (roles …): the ID token's at sign-in, re-read at
    /// every refresh (``RelyingParty/refresh(_:signedIn:)``).
    public internal(set) var token: VerifiedToken
    /// The latest ID token as received, for `id_token_hint` at logout.
    public internal(set) var rawIDToken: String
    /// The per-session CSRF token that state-changing form posts must carry.
    public let csrfToken: String
    /// When the session began, in seconds since 1970 (the absolute timeout counts from here).
    public let createdAt: Double
    /// When the session was last used (the idle timeout counts from here).
    public var lastSeen: Double
    /// The provider's access token (for calls to APIs on the user's behalf).
    public internal(set) var accessToken: String?
    /// The refresh token, when the provider issued one.
    public internal(set) var refreshToken: String?
    /// When the access token expires, in seconds since 1970, when the provider said (`expires_in`).
    public internal(set) var accessTokenExpiresAt: Double?
    /// When ``token``'s claims were read from the provider: the sign-in or the last refresh.
    public internal(set) var claimsReadAt: Double

    /// Creates a session record.
    public init(
        id: String, subject: String, token: VerifiedToken, rawIDToken: String, csrfToken: String,
        createdAt: Double, lastSeen: Double, accessToken: String? = nil, refreshToken: String? = nil,
        accessTokenExpiresAt: Double? = nil, claimsReadAt: Double? = nil
    ) {
        self.id = id
        self.subject = subject
        self.token = token
        self.rawIDToken = rawIDToken
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeen = lastSeen
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.claimsReadAt = claimsReadAt ?? createdAt
    }
}

/// Where sessions live on the server. Revoking removes a session for good: its cookie no longer
/// opens anything, even before it expires.
public protocol SessionStore: Sendable {
    /// Stores or replaces `session`.
    func save(_ session: Session) async throws(PortcullisError)
    /// The session with `id`, or `nil`.
    func load(id: String) async throws(PortcullisError) -> Session?
    /// Removes the session with `id` (nothing happens when there is none).
    func revoke(id: String) async throws(PortcullisError)
    /// Replaces `session` only if it is still stored; `false` when it was revoked meanwhile (a
    /// request that loaded it before a logout must not bring it back).
    func update(_ session: Session) async throws(PortcullisError) -> Bool
}

extension SessionStore {
    /// `load` then `save`: correct, but not atomic — a store that can, should check and write
    /// in one step (the built-in stores do).
    public func update(_ session: Session) async throws(PortcullisError) -> Bool {
        guard try await load(id: session.id) != nil else { return false }
        try await save(session)
        return true
    }
}

/// A ``SessionStore`` that can find sessions by their content, which ending every session of a
/// user needs (OpenID Connect Back-Channel Logout 1.0 §2.7: a Logout Token names a user or a
/// provider session, not a session id of this server).
public protocol SearchableSessionStore: SessionStore {
    /// Revokes every session `matches` selects.
    /// - Returns: How many were revoked.
    func revokeSessions(where matches: @Sendable (Session) -> Bool) async throws(PortcullisError) -> Int
}

/// The default ``SessionStore``: in memory, for one process, bounded (the least recently used
/// session is dropped when full). Sessions end when the process does.
public actor InMemorySessionStore: SearchableSessionStore {
    private var sessions: [String: Session] = [:]
    private let capacity: Int

    /// A store holding at most `capacity` sessions.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// See ``SessionStore/save(_:)``.
    public func save(_ session: Session) {
        if sessions[session.id] == nil, sessions.count >= capacity,
           let stalest = sessions.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            sessions[stalest.key] = nil
        }
        sessions[session.id] = session
    }

    /// See ``SessionStore/load(id:)``.
    public func load(id: String) -> Session? { sessions[id] }

    /// See ``SessionStore/revoke(id:)``.
    public func revoke(id: String) { sessions[id] = nil }

    /// See ``SessionStore/update(_:)``: atomic here.
    public func update(_ session: Session) -> Bool {
        guard sessions[session.id] != nil else { return false }
        sessions[session.id] = session
        return true
    }

    /// See ``SearchableSessionStore/revokeSessions(where:)``.
    public func revokeSessions(where matches: @Sendable (Session) -> Bool) -> Int {
        let ended = sessions.filter { matches($0.value) }.keys
        for id in ended { sessions[id] = nil }
        return ended.count
    }

    /// The number of sessions held.
    public var count: Int { sessions.count }
}
