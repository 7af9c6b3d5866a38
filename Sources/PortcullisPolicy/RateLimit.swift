/// A request rate: `requests` per `period` seconds, with bursts of up to `burst` requests.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per period.
    public var requests: Int
    /// The period in seconds.
    public var period: Double
    /// How many requests may arrive at once after a quiet spell; defaults to `requests`.
    public var burst: Int

    /// `requests` per `period` seconds; `burst` defaults to `requests`.
    public init(requests: Int, period: Double, burst: Int? = nil) {
        self.requests = max(requests, 0)
        self.period = period > 0 && period.isFinite ? period : 1
        self.burst = max(burst ?? requests, 1)
    }

    /// `requests` per minute.
    public static func perMinute(_ requests: Int) -> RateLimit { RateLimit(requests: requests, period: 60) }
    /// `requests` per second.
    public static func perSecond(_ requests: Int) -> RateLimit { RateLimit(requests: requests, period: 1) }

    /// The seconds between two requests at the sustained rate (the GCRA emission interval).
    public var interval: Double { requests > 0 ? period / Double(requests) : .infinity }

    /// The `RateLimit-Policy` value (draft-ietf-httpapi-ratelimit-headers): `q=<requests>;w=<period>`.
    public var description: String { "\(requests);w=\(Int(period.rounded(.up)))" }
}

/// What a rate-limit check decided, with what the `RateLimit`, `RateLimit-Policy` and
/// `Retry-After` headers need.
public struct RateLimitStatus: Sendable, Hashable {
    /// `true` when the request may proceed (and was counted).
    public let allowed: Bool
    /// The limit applied.
    public let limit: RateLimit
    /// Requests still allowed right now after this one.
    public let remaining: Int
    /// Seconds until a refused request would be allowed (0 when allowed).
    public let retryAfter: Double
    /// Seconds until the full burst is available again.
    public let resetAfter: Double

    /// `Retry-After` in whole seconds, rounded up so a client that waits this long succeeds (RFC 9110 §10.2.3).
    public var retryAfterSeconds: Int { Int(retryAfter.rounded(.up)) }
}
