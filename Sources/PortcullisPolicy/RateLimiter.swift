import Foundation
import Synchronization

/// A rate limiter using the generic cell rate algorithm (GCRA): one timestamp per key, exact, and
/// safe to call from any number of tasks.
///
/// Keys are whatever the application limits by: the subject, the client id, the tenant. Memory is
/// bounded: each key's state expires once its budget is full again, and at most
/// ``maximumKeys`` are kept — when a flood of distinct keys fills the table, expired entries are
/// swept, then the entries closest to expiry are evicted first, an eighth of a shard at a time (evicting a key forgets only how
/// much of its burst it has used, never lets it exceed its sustained rate for longer than that).
///
/// ```swift
/// let limiter = RateLimiter()
/// let status = limiter.check("user-42", limit: .perMinute(10))
/// if !status.allowed { /* 429, Retry-After: status.retryAfterSeconds */ }
/// ```
public final class RateLimiter: Sendable {
    /// The most keys kept at once, across all shards.
    public let maximumKeys: Int
    private let shards: [Lock]
    private let perShardCapacity: Int
    private let clock: @Sendable () -> Double

    /// Creates a limiter.
    /// - Parameters:
    ///   - maximumKeys: The bound on remembered keys (default 100,000).
    ///   - shards: Independent locks to spread contention (default 16).
    ///   - clock: Monotonic seconds; defaults to the system's uptime clock. Inject one in tests.
    public init(
        maximumKeys: Int = 100_000, shards: Int = 16,
        clock: (@Sendable () -> Double)? = nil
    ) {
        let shardCount = max(1, shards)
        self.maximumKeys = max(maximumKeys, shardCount)
        self.perShardCapacity = max(1, self.maximumKeys / shardCount)
        self.shards = (0..<shardCount).map { _ in Lock() }
        self.clock = clock ?? Self.monotonicSeconds
    }

    /// Seconds from a monotonic clock (`CLOCK_MONOTONIC`; the system's uptime clock elsewhere):
    /// a direct call, cheaper than going through `ProcessInfo` on every check.
    @Sendable static func monotonicSeconds() -> Double {
        #if canImport(Glibc) || canImport(Musl)
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        #else
        return ProcessInfo.processInfo.systemUptime
        #endif
    }

    /// Checks (and, when allowed, counts) one request for `key` under `limit`.
    public func check(_ key: String, limit: RateLimit) -> RateLimitStatus {
        check(key, limit: limit, at: clock())
    }

    /// Checks one request at an explicit time in the clock's seconds (for tests and replays).
    public func check(_ key: String, limit: RateLimit, at now: Double) -> RateLimitStatus {
        let interval = limit.interval
        guard interval.isFinite else {
            return RateLimitStatus(allowed: false, limit: limit, remaining: 0, retryAfter: limit.period, resetAfter: limit.period)
        }
        // GCRA: TAT is the theoretical arrival time of the next request at the sustained rate. A
        // request is allowed when it arrives no earlier than TAT minus the burst tolerance.
        let tolerance = interval * Double(limit.burst)
        let capacity = perShardCapacity
        var hasher = Hasher()
        hasher.combine(key)
        let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
        return shard.state.withLock { shard in
            // One hash of the key inside the lock: find its slot once, update the value in place.
            let index = shard.entries.index(forKey: key)
            let theoretical = max(index.map { shard.entries.values[$0].theoreticalArrival } ?? now, now)
            let next = theoretical + interval
            let allowAt = next - tolerance
            if now < allowAt {
                return RateLimitStatus(
                    allowed: false, limit: limit, remaining: 0, retryAfter: allowAt - now, resetAfter: theoretical - now)
            }
            if let index {
                shard.entries.values[index].theoreticalArrival = next
            } else {
                shard.store(key, Shard.Entry(theoreticalArrival: next), now: now, capacity: capacity)
            }
            // A hair of slack so that 59.4 / 0.6 is 99, not 98.99999.
            let remaining = Int(((tolerance - (next - now)) / interval + 1e-9).rounded(.down))
            return RateLimitStatus(
                allowed: true, limit: limit, remaining: max(0, remaining), retryAfter: 0, resetAfter: next - now)
        }
    }

    /// The number of keys currently remembered (for metrics and tests).
    public var count: Int { shards.reduce(0) { $0 + $1.state.withLock { $0.entries.count } } }

    /// One shard's table behind its own lock (a class, since `Mutex` cannot be copied into an array).
    private final class Lock: Sendable {
        let state = Mutex(Shard())
    }

    private struct Shard: Sendable {
        struct Entry: Sendable {
            /// The GCRA theoretical arrival time; the key's state is worthless once it is past.
            var theoreticalArrival: Double
        }

        var entries: [String: Entry] = [:]

        mutating func store(_ key: String, _ entry: Entry, now: Double, capacity: Int) {
            if entries[key] == nil && entries.count >= capacity {
                entries = entries.filter { $0.value.theoreticalArrival > now }
                if entries.count >= capacity {
                    // Still full of live keys: evict the eighth whose state would expire soonest, so
                    // that a flood pays for one sort per capacity/8 new keys, not one scan per key.
                    let victims = entries.sorted { $0.value.theoreticalArrival < $1.value.theoreticalArrival }
                        .prefix(max(1, capacity / 8))
                    for victim in victims { entries[victim.key] = nil }
                }
            }
            entries[key] = entry
        }
    }
}
