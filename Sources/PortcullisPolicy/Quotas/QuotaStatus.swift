public import PortcullisJOSE

extension Quota {
    /// The period containing `now`: periods are aligned to the Unix epoch, so a 86,400-second
    /// period is a UTC day (POSIX time has no leap seconds) and resets at 00:00:00Z.
    public func periodBounds(at now: NumericDate) -> (start: NumericDate, end: NumericDate) {
        let length = period.isFinite && period > 0 ? period : 86_400
        let start = (now.secondsSince1970 / length).rounded(.down) * length
        return (NumericDate(start), NumericDate(start + length))
    }
}

/// What a usage ledger decided or knows about one key's quota in the current period, with what
/// `RateLimit`-style headers and `Retry-After` need.
public struct QuotaStatus: Sendable, Hashable {
    /// For ``UsageLedger/consume(units:key:quota:at:)``: `true` when the units were accepted
    /// (and counted). For ``UsageLedger/record(units:key:quota:at:)`` and
    /// ``UsageLedger/status(key:quota:at:)``: `true` while at least one more unit fits.
    public let allowed: Bool
    /// The quota applied.
    public let quota: Quota
    /// Units used in the current period (after this call).
    public let used: Int
    /// When the current period started.
    public let periodStart: NumericDate
    /// When the current period ends and usage resets.
    public let resetsAt: NumericDate
    /// The time the status was computed for.
    public let now: NumericDate

    /// Creates a status.
    public init(allowed: Bool, quota: Quota, used: Int, periodStart: NumericDate, resetsAt: NumericDate, now: NumericDate) {
        self.allowed = allowed
        self.quota = quota
        self.used = used
        self.periodStart = periodStart
        self.resetsAt = resetsAt
        self.now = now
    }

    /// The units the period allows.
    public var limit: Int { quota.limit }
    /// Units still available this period (never negative: ``UsageLedger/record(units:key:quota:at:)``
    /// may push usage past the limit).
    public var remaining: Int { max(0, quota.limit - used) }
    /// Seconds until the period resets.
    public var resetAfter: Double { max(0, resetsAt.secondsSince1970 - now.secondsSince1970) }
    /// Seconds a refused caller should wait (the reset), 0 when allowed.
    public var retryAfter: Double { allowed ? 0 : resetAfter }
    /// `Retry-After` in whole seconds, rounded up (RFC 9110 §10.2.3).
    public var retryAfterSeconds: Int { Int(retryAfter.rounded(.up)) }

    /// The `quota_exceeded` denial for a refused status, `nil` when allowed.
    public var denial: Denial? {
        guard !allowed else { return nil }
        return Denial(
            .quotaExceeded, policy: "quota(\(quota.unit))",
            message: "the \(quota.unit) quota of \(quota.limit) per period is used up; it resets in \(retryAfterSeconds) s",
            claim: nil, expected: "at most \(quota.limit) \(quota.unit)", actual: "\(used) used")
    }
}
