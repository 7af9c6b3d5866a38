public import PortcullisJOSE
import Synchronization

/// A ``UsageLedger`` in process memory, for single-instance servers and tests.
///
/// Thread-safe (one lock; each operation is a dictionary lookup). Memory is bounded: usage of
/// periods that have ended is dropped, and at most ``maximumKeys`` (key, unit, period) entries
/// are kept. When the table is full of current periods, a *new* key is refused with
/// `quota_exceeded` rather than forgetting another key's usage, which would hand that key a
/// fresh quota.
public final class InMemoryUsageLedger: UsageLedger {
    /// The most entries kept at once.
    public let maximumKeys: Int
    private let state = Mutex(State())

    private struct EntryKey: Hashable {
        var key: String
        var unit: String
        var period: Double
    }

    private struct Entry {
        var periodStart: Double
        var periodEnd: Double
        var used: Int
    }

    private struct State {
        var entries: [EntryKey: Entry] = [:]
    }

    /// Creates a ledger holding at most `maximumKeys` entries (default 100,000).
    public init(maximumKeys: Int = 100_000) {
        self.maximumKeys = max(1, maximumKeys)
    }

    /// The number of entries currently kept (for metrics and tests).
    public var count: Int { state.withLock { $0.entries.count } }

    /// Adds `units` when the result stays within the limit (see ``UsageLedger``).
    public func consume(units: Int, key: String, quota: Quota, at now: NumericDate) async throws(PortcullisError) -> QuotaStatus {
        try update(units: units, key: key, quota: quota, at: now, conditional: true)
    }

    /// Adds `units` unconditionally (see ``UsageLedger``).
    public func record(units: Int, key: String, quota: Quota, at now: NumericDate) async throws(PortcullisError) -> QuotaStatus {
        try update(units: units, key: key, quota: quota, at: now, conditional: false)
    }

    /// The usage in the current period.
    public func status(key: String, quota: Quota, at now: NumericDate) async throws(PortcullisError) -> QuotaStatus {
        let (start, end) = quota.periodBounds(at: now)
        let used = state.withLock { state -> Int in
            guard let entry = state.entries[EntryKey(key: key, unit: quota.unit, period: quota.period)],
                entry.periodStart == start.secondsSince1970
            else { return 0 }
            return entry.used
        }
        return QuotaStatus(allowed: used < quota.limit, quota: quota, used: used, periodStart: start, resetsAt: end, now: now)
    }

    private func update(
        units: Int, key: String, quota: Quota, at now: NumericDate, conditional: Bool
    ) throws(PortcullisError) -> QuotaStatus {
        guard units >= 0 else { throw PortcullisError(.malformed, "usage units must not be negative (got \(units))") }
        let (start, end) = quota.periodBounds(at: now)
        let entryKey = EntryKey(key: key, unit: quota.unit, period: quota.period)
        let capacity = maximumKeys
        let outcome: (allowed: Bool, used: Int)? = state.withLock { state in
            var entry = state.entries[entryKey] ?? Entry(periodStart: start.secondsSince1970, periodEnd: end.secondsSince1970, used: 0)
            if entry.periodStart != start.secondsSince1970 {
                entry = Entry(periodStart: start.secondsSince1970, periodEnd: end.secondsSince1970, used: 0)
            }
            if state.entries[entryKey] == nil, state.entries.count >= capacity {
                let cutoff = now.secondsSince1970
                state.entries = state.entries.filter { $0.value.periodEnd > cutoff }
                if state.entries.count >= capacity { return nil }
            }
            let (sum, overflow) = entry.used.addingReportingOverflow(units)
            if conditional {
                let fits = !overflow && sum <= quota.limit && (units > 0 || entry.used < quota.limit)
                guard fits else {
                    state.entries[entryKey] = entry
                    return (false, entry.used)
                }
            }
            entry.used = overflow ? Int.max : sum
            state.entries[entryKey] = entry
            return (conditional ? true : entry.used < quota.limit, entry.used)
        }
        guard let outcome else {
            throw PortcullisError(
                .quotaExceeded,
                "the usage ledger is full (\(capacity) entries in current periods); refusing rather than forgetting usage")
        }
        return QuotaStatus(allowed: outcome.allowed, quota: quota, used: outcome.used, periodStart: start, resetsAt: end, now: now)
    }
}
