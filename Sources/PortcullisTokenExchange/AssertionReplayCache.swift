import Synchronization

/// Remembers the `jti` of every client assertion until it expires, so that an assertion is
/// accepted once (RFC 7523 §3 item 7: "the authorization server MAY ensure that JWTs are not
/// replayed by maintaining the set of used jti values for the length of time for which the JWT
/// would be considered valid").
///
/// Bounded: at most ``capacity`` entries. Expired entries are dropped when room is needed; when
/// the cache is full of live entries a new assertion is refused (fail closed) rather than
/// forgetting one that could then be replayed.
public final class AssertionReplayCache: Sendable {
    /// The most live entries kept.
    public let capacity: Int
    private let entries = Mutex<[String: Double]>([:])

    /// Creates a cache of at most `capacity` entries (default 10,000).
    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Records `jti` of `clientID` as used until `expiresAt`.
    /// - Returns: `true` when it was new; `false` for a replay, or when the cache is full.
    public func insert(clientID: String, jti: String, expiresAt: Double, now: Double) -> Bool {
        let key = clientID + "\u{0}" + jti
        let capacity = self.capacity
        return entries.withLock { entries in
            if let until = entries[key], until > now { return false }
            if entries.count >= capacity {
                entries = entries.filter { $0.value > now }
                if entries.count >= capacity { return false }
            }
            entries[key] = expiresAt
            return true
        }
    }

    /// The number of entries held (for tests and metrics).
    public var count: Int { entries.withLock { $0.count } }
}
