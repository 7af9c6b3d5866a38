public import PortcullisJOSE

/// How a ``RemoteJWKSet`` caches, refreshes and survives outages. Durations are in seconds.
///
/// The defaults, and why:
/// - ``minimumCacheDuration`` 5 min: a provider sending `max-age=0` (or nothing) must not turn
///   every request into a fetch.
/// - ``maximumCacheDuration`` 24 h: a provider sending a year-long `max-age` must not pin keys
///   that it later revokes; a removed key stops verifying at the latest a day later (sooner on the
///   refetch an unknown `kid` triggers).
/// - ``unknownKeyCooldown`` 30 s: a new `kid` is picked up within 30 s of its first use, while a
///   stream of forged `kid`s causes at most one fetch per 30 s.
/// - ``staleIfErrorDuration`` 24 h: a provider outage of up to a day after the keys' freshness
///   ended does not take the API down (RFC 5861 §4 `stale-if-error`, applied by the client).
/// - ``failureRetryInterval`` 10 s: during an outage, at most one fetch every 10 s, and the
///   requests in between do not wait for a timeout.
/// - ``limits``: 5 s timeout, 1 MiB body, https only.
public struct RemoteJWKSetConfiguration: Sendable {
    /// The shortest time fetched keys are used before a refresh; also the lifetime when the
    /// response has no `Cache-Control: max-age`. Default 300.
    public var minimumCacheDuration: Double
    /// The longest time fetched keys are used before a refresh, whatever `max-age` says. Default 86,400.
    public var maximumCacheDuration: Double
    /// After any fetch, an unknown `kid` does not trigger another one for this long. Default 30.
    public var unknownKeyCooldown: Double
    /// How long after their freshness ends the last good keys are still served while fetches fail.
    /// `0` disables stale serving. Default 86,400.
    public var staleIfErrorDuration: Double
    /// After a failed fetch, no new fetch is attempted for this long. Default 10.
    public var failureRetryInterval: Double
    /// The background refresh of ``RemoteJWKSet/run()`` fetches this long before the keys'
    /// freshness ends (at most half their lifetime before). Default 30.
    public var refreshAheadMargin: Double
    /// Timeout, size limit and URL rule for each fetch.
    public var limits: FetchLimits
    /// Bounds on the JWK Set JSON.
    public var jsonLimits: JSONLimits
    /// A monotonic clock in seconds (any origin). Inject one in tests; ``RemoteJWKSet/run()``
    /// sleeps on the real clock for intervals computed from it.
    public var clock: @Sendable () -> Double

    /// Creates a configuration with the documented defaults.
    public init(
        minimumCacheDuration: Double = 300,
        maximumCacheDuration: Double = 86_400,
        unknownKeyCooldown: Double = 30,
        staleIfErrorDuration: Double = 86_400,
        failureRetryInterval: Double = 10,
        refreshAheadMargin: Double = 30,
        limits: FetchLimits = FetchLimits(),
        jsonLimits: JSONLimits = .default,
        clock: @escaping @Sendable () -> Double = MonotonicClock.seconds
    ) {
        self.minimumCacheDuration = minimumCacheDuration
        self.maximumCacheDuration = maximumCacheDuration
        self.unknownKeyCooldown = unknownKeyCooldown
        self.staleIfErrorDuration = staleIfErrorDuration
        self.failureRetryInterval = failureRetryInterval
        self.refreshAheadMargin = refreshAheadMargin
        self.limits = limits
        self.jsonLimits = jsonLimits
        self.clock = clock
    }

    /// The cache lifetime for a response: its freshness lifetime clamped to
    /// [``minimumCacheDuration``, ``maximumCacheDuration``]; the minimum when it has none.
    public func cacheLifetime(for document: FetchedDocument) -> Double {
        let floor = max(0, minimumCacheDuration)
        let ceiling = max(floor, maximumCacheDuration)
        guard let lifetime = document.freshnessLifetime else { return floor }
        return min(max(Double(lifetime), floor), ceiling)
    }
}

/// Seconds on `ContinuousClock` since the first use: the default clock of the OIDC types.
public enum MonotonicClock {
    private static let origin = ContinuousClock.now

    /// Seconds since an arbitrary fixed origin, never going backwards.
    @Sendable public static func seconds() -> Double {
        let elapsed = ContinuousClock.now - origin
        let parts = elapsed.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
