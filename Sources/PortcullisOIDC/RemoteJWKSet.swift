public import Foundation
public import PortcullisJOSE
public import PortcullisJWT

/// A JWK Set fetched from a URL (a provider's `jwks_uri`), cached, refreshed and kept through
/// outages. Safe to share between any number of concurrent requests.
///
/// Behaviour (defaults in ``RemoteJWKSetConfiguration``):
/// - **Caching**: keys are reused for the response's `Cache-Control: max-age` (minus `Age`,
///   RFC 9111 §4.2), clamped to a floor and a ceiling; `no-store`/`no-cache` or no header means
///   the floor.
/// - **Unknown `kid`**: ``keySetAfterUnknownKey()`` refetches at most once per cooldown, counted
///   from the start of the last fetch of any kind, so forged `kid`s cannot force a fetch per request.
/// - **Single flight**: concurrent callers that need a fetch share one.
/// - **Stale-if-error**: when a refresh fails, the last good keys are served until
///   ``RemoteJWKSetConfiguration/staleIfErrorDuration`` after their freshness ended; after that,
///   callers get the fetch error (`fetch_failed`). After a failure no fetch is tried for
///   ``RemoteJWKSetConfiguration/failureRetryInterval``.
/// - **Rotation**: each successful fetch replaces the whole set, so a key removed by the
///   provider stops verifying as soon as the next refresh completes. A well-formed set with no
///   usable key replaces the keys too (a provider may revoke everything).
/// - **Unusable keys** are skipped, not fatal: see ``KeySet/skipped`` on ``keySet()``'s result and
///   the ``Event/fetched(keyCount:skipped:lifetime:)`` event.
/// - **Refresh ahead**: ``run()`` keeps the keys fresh in the background so that requests never
///   wait for a fetch; it has the shape of swift-service-lifecycle's `Service`.
/// - Fetches use ``FetchLimits`` (timeout, 1 MiB, https only, no redirects) and the body is read
///   with the strict, bounded ``JSONReader``.
public actor RemoteJWKSet {
    /// What happened on a fetch, for logs and metrics.
    public enum Event: Sendable {
        /// Keys were fetched; `skipped` lists the entries that were not loaded (those with
        /// ``KeySet/SkippedKey/isWarning`` deserve a warning).
        case fetched(keyCount: Int, skipped: [KeySet.SkippedKey], lifetime: Double)
        /// A fetch failed; `servingStaleKeys` says whether earlier keys are still served.
        case fetchFailed(PortcullisError, servingStaleKeys: Bool)
    }

    /// A snapshot of the cache, for diagnostics and tests.
    public struct Status: Sendable {
        /// The keys currently served, if any fetch succeeded.
        public let keys: KeySet?
        /// Fetches started so far.
        public let fetchCount: Int
        /// Clock time until which ``keys`` are fresh.
        public let freshUntil: Double?
        /// Clock time until which ``keys`` may be served while fetches fail.
        public let staleUntil: Double?
        /// The error of the last fetch, when it failed.
        public let lastError: PortcullisError?
    }

    /// The JWK Set's URL.
    public nonisolated let url: URL
    /// The caching rules.
    public nonisolated let configuration: RemoteJWKSetConfiguration
    private let fetcher: any HTTPDocumentFetcher
    private let onEvent: (@Sendable (Event) -> Void)?

    private var current: KeySet?
    private var freshUntil = -Double.infinity
    private var staleUntil = -Double.infinity
    private var refreshAt = -Double.infinity
    private var lastFetchStarted: Double?
    private var lastFailureAt: Double?
    private var lastError: PortcullisError?
    private var fetchCount = 0
    private var inflight: Task<Result<KeySet, PortcullisError>, Never>?

    /// Creates a remote key set; nothing is fetched until keys are needed (or ``run()`` starts).
    /// - Parameters:
    ///   - url: The JWK Set URL; must pass ``RemoteURLRule``.
    ///   - configuration: Caching rules and fetch limits.
    ///   - fetcher: How to fetch; `URLSession` by default.
    ///   - onEvent: Called on the actor after every fetch; keep it quick (log, count).
    /// - Throws: `fetch_failed` when the URL is not acceptable.
    public init(
        url: URL,
        configuration: RemoteJWKSetConfiguration = RemoteJWKSetConfiguration(),
        fetcher: any HTTPDocumentFetcher = URLSessionDocumentFetcher(),
        onEvent: (@Sendable (Event) -> Void)? = nil
    ) throws(PortcullisError) {
        try RemoteURLRule.check(url, allowsLoopbackHTTP: configuration.limits.allowsLoopbackHTTP)
        self.url = url
        self.configuration = configuration
        self.fetcher = fetcher
        self.onEvent = onEvent
    }

    /// The keys to verify with: the cached set while fresh; otherwise a fetch (shared with
    /// concurrent callers), falling back to the last good keys within the stale-if-error window.
    /// - Throws: `fetch_failed` when no acceptable keys are available.
    public func keySet() async throws(PortcullisError) -> KeySet {
        let now = configuration.clock()
        if let current, now < freshUntil { return current }
        if inflight == nil, let failedAt = lastFailureAt, now - failedAt < configuration.failureRetryInterval,
           let lastError {
            return try staleKeys(now: now, or: lastError)
        }
        switch await sharedFetch() {
        case .success(let keys): return keys
        case .failure(let error): return try staleKeys(now: configuration.clock(), or: error)
        }
    }

    /// Refetches because a token named a key that is not in the set. Joins a fetch in progress;
    /// otherwise fetches only when the cooldown since the last fetch has passed.
    /// - Returns: The new keys, or `nil` when no fetch was allowed or the fetch failed (the caller
    ///   then reports the original `key_not_found`).
    public func keySetAfterUnknownKey() async -> KeySet? {
        if inflight == nil, let started = lastFetchStarted,
           configuration.clock() - started < configuration.unknownKeyCooldown {
            return nil
        }
        if case .success(let keys) = await sharedFetch() { return keys }
        return nil
    }

    /// Fetches now (joining a fetch in progress), ignoring freshness and cooldown.
    /// - Throws: `fetch_failed`; the cached keys are left as they were.
    @discardableResult
    public func refresh() async throws(PortcullisError) -> KeySet {
        try await sharedFetch().get()
    }

    /// Keeps the keys fresh until the task is cancelled: fetches at start, then shortly before
    /// the keys' freshness ends (``RemoteJWKSetConfiguration/refreshAheadMargin``), retrying
    /// after failures every ``RemoteJWKSetConfiguration/failureRetryInterval``. Fetch failures
    /// are reported through `onEvent`, never thrown.
    ///
    /// It returns normally when cancelled, which is what swift-service-lifecycle's `Service.run()`
    /// expects; run it in a task group or a `ServiceGroup` beside the server.
    public func run() async throws {
        while !Task.isCancelled {
            let now = configuration.clock()
            let backingOff = lastFailureAt.map { now - $0 < configuration.failureRetryInterval } ?? false
            if !backingOff, current == nil || now >= refreshAt {
                _ = await sharedFetch()
            }
            let after = configuration.clock()
            var wake = refreshAt
            if let failedAt = lastFailureAt { wake = failedAt + configuration.failureRetryInterval }
            let delay = max(0.05, wake - after)
            do {
                try await Task.sleep(for: .milliseconds(Int64(min(delay, 86_400 * 7) * 1000)))
            } catch {
                return
            }
        }
    }

    /// The cache's state.
    public var status: Status {
        Status(
            keys: current, fetchCount: fetchCount,
            freshUntil: current == nil ? nil : freshUntil, staleUntil: current == nil ? nil : staleUntil,
            lastError: lastError)
    }

    // MARK: - Internals

    private func staleKeys(now: Double, or error: PortcullisError) throws(PortcullisError) -> KeySet {
        if let current, now < staleUntil { return current }
        throw error
    }

    private func sharedFetch() async -> Result<KeySet, PortcullisError> {
        if let inflight { return await inflight.value }
        let task = Task { await self.performFetch() }
        inflight = task
        return await task.value
    }

    private func performFetch() async -> Result<KeySet, PortcullisError> {
        let started = configuration.clock()
        lastFetchStarted = started
        fetchCount += 1
        let result: Result<(KeySet, Double), PortcullisError>
        do {
            result = .success(try await download())
        } catch {
            result = .failure(error)
        }
        let now = configuration.clock()
        inflight = nil
        switch result {
        case .success(let (keys, lifetime)):
            current = keys
            freshUntil = now + lifetime
            staleUntil = freshUntil + max(0, configuration.staleIfErrorDuration)
            refreshAt = freshUntil - min(max(0, configuration.refreshAheadMargin), lifetime / 2)
            lastFailureAt = nil
            lastError = nil
            onEvent?(.fetched(keyCount: keys.keys.count, skipped: keys.skipped, lifetime: lifetime))
            return .success(keys)
        case .failure(let error):
            lastFailureAt = now
            lastError = error
            onEvent?(.fetchFailed(error, servingStaleKeys: current != nil && now < staleUntil))
            return .failure(error)
        }
    }

    private func download() async throws(PortcullisError) -> (KeySet, Double) {
        let document = try await fetcher.fetch(url, limits: configuration.limits)
        try document.requireOK()
        let jwks: JWKSet
        do {
            jwks = try JWKSet(parsing: document.body, limits: configuration.jsonLimits)
        } catch {
            throw PortcullisError(.fetchFailed, "\(url.absoluteString) is not a valid JWK Set: \(error.message)")
        }
        return (KeySet(jwks: jwks), configuration.cacheLifetime(for: document))
    }
}
