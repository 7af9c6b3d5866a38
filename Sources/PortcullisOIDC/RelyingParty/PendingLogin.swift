public import PortcullisJOSE
import PortcullisCrypto
public import PortcullisJWT

/// A sign-in that was started and whose callback has not arrived yet: the secrets the callback
/// must match. Kept on the server (``PendingLoginStore``), bound to the browser that started it.
public struct PendingLogin: Sendable, Hashable {
    /// The `state` sent; the callback's must be equal (RFC 6749 §10.12).
    public let state: String
    /// The `nonce` sent; the ID token's must be equal (OpenID Connect Core §3.1.3.7 item 11).
    public let nonce: String
    /// The PKCE `code_verifier` (RFC 7636 §4.5).
    public let codeVerifier: String
    /// The options sent (`max_age` is checked against `auth_time`).
    public let options: AuthorizationOptions
    /// When the sign-in started, in seconds since 1970.
    public let createdAt: Double
    /// Where to go after the sign-in (a local path chosen by the application).
    public let returnTo: String

    /// Creates a pending login (``RelyingParty/startLogin(options:returnTo:)`` makes them).
    public init(state: String, nonce: String, codeVerifier: String, options: AuthorizationOptions, createdAt: Double, returnTo: String) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.options = options
        self.createdAt = createdAt
        self.returnTo = returnTo
    }
}

/// Pending logins, each under a random browser binding (kept in a short-lived cookie of the
/// browser that started the sign-in). ``take(binding:)`` removes the entry, so each pending login
/// is used at most once; entries expire after a lifetime and the store holds a bounded number.
public actor PendingLoginStore {
    private var entries: [String: PendingLogin] = [:]
    private let lifetime: Double
    private let capacity: Int
    private let clock: @Sendable () -> Double

    /// A store whose entries live `lifetime` seconds, at most `capacity` of them (the oldest are
    /// dropped first when full).
    public init(lifetime: Double = 600, capacity: Int = 10_000, clock: @escaping @Sendable () -> Double = { NumericDate.now.secondsSince1970 }) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// Stores `login` and returns the new random binding to give the browser.
    public func insert(_ login: PendingLogin) throws(PortcullisError) -> String {
        let now = clock()
        entries = entries.filter { now - $0.value.createdAt <= lifetime }
        while entries.count >= capacity, let oldest = entries.min(by: { $0.value.createdAt < $1.value.createdAt }) {
            entries[oldest.key] = nil
        }
        let binding = try RandomToken.make()
        entries[binding] = login
        return binding
    }

    /// Removes and returns the pending login under `binding`, unless it has expired.
    public func take(binding: String) -> PendingLogin? {
        guard let login = entries.removeValue(forKey: binding) else { return nil }
        return clock() - login.createdAt <= lifetime ? login : nil
    }

    /// The number of entries (expired ones included until the next insert).
    public var count: Int { entries.count }
}
