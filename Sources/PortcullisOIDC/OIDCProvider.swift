import Foundation
public import PortcullisJOSE

/// Settings of an ``OIDCProvider``.
public struct OIDCProviderConfiguration: Sendable {
    /// Metadata documents to try, in order (OpenID Connect Discovery first, then RFC 8414).
    public var documents: [MetadataDocument]
    /// Bounds on the metadata fetch.
    public var discoveryLimits: FetchLimits
    /// Caching and limits of the provider's JWK Set.
    public var keys: RemoteJWKSetConfiguration
    /// After a failed discovery, no new attempt for this long (seconds, on ``keys``'s clock);
    /// callers get the last error meanwhile. Default 10.
    public var discoveryRetryInterval: Double

    /// Creates a configuration with the defaults of ``RemoteJWKSetConfiguration`` and ``FetchLimits``.
    public init(
        documents: [MetadataDocument] = [.openIDConnect, .authorizationServer],
        discoveryLimits: FetchLimits = FetchLimits(),
        keys: RemoteJWKSetConfiguration = RemoteJWKSetConfiguration(),
        discoveryRetryInterval: Double = 10
    ) {
        self.documents = documents
        self.discoveryLimits = discoveryLimits
        self.keys = keys
        self.discoveryRetryInterval = discoveryRetryInterval
    }

    /// Development mode: accept plain `http://` on loopback hosts for the issuer, the metadata and
    /// the JWK Set. Never enable it in production.
    public var allowsLoopbackHTTP: Bool {
        get { discoveryLimits.allowsLoopbackHTTP && keys.limits.allowsLoopbackHTTP }
        set {
            discoveryLimits.allowsLoopbackHTTP = newValue
            keys.limits.allowsLoopbackHTTP = newValue
        }
    }
}

/// One trusted issuer: its metadata (discovered once, lazily) and its ``RemoteJWKSet``.
///
/// Creating a provider fetches nothing; the first token (or ``metadata()``) triggers discovery,
/// shared by concurrent callers. The metadata is then kept for the provider's lifetime; the keys
/// are refreshed as ``RemoteJWKSet`` describes.
public actor OIDCProvider {
    /// The configured issuer identifier, compared exactly with metadata and tokens.
    public nonisolated let issuer: String
    /// The settings.
    public nonisolated let configuration: OIDCProviderConfiguration
    private let fetcher: any HTTPDocumentFetcher
    private let onKeyEvent: (@Sendable (RemoteJWKSet.Event) -> Void)?
    private var resolved: (ProviderMetadata, RemoteJWKSet)?
    private var inflight: Task<Result<(ProviderMetadata, RemoteJWKSet), PortcullisError>, Never>?
    private var lastFailure: (at: Double, error: PortcullisError)?

    /// A provider found through discovery of `issuer`.
    /// - Throws: `invalid_issuer` when `issuer` is not an `https` URL without query and fragment
    ///   (loopback `http` only in development mode).
    public init(
        issuer: String,
        configuration: OIDCProviderConfiguration = OIDCProviderConfiguration(),
        fetcher: any HTTPDocumentFetcher = URLSessionDocumentFetcher(),
        onKeyEvent: (@Sendable (RemoteJWKSet.Event) -> Void)? = nil
    ) throws(PortcullisError) {
        try ProviderDiscovery.checkIssuer(issuer, allowsLoopbackHTTP: configuration.discoveryLimits.allowsLoopbackHTTP)
        self.issuer = issuer
        self.configuration = configuration
        self.fetcher = fetcher
        self.onKeyEvent = onKeyEvent
    }

    /// A provider whose metadata is known (no discovery): its `issuer` and `jwks_uri` are used.
    /// - Throws: `malformed` without `jwks_uri`; `fetch_failed` when it is not acceptable.
    public init(
        metadata: ProviderMetadata,
        configuration: OIDCProviderConfiguration = OIDCProviderConfiguration(),
        fetcher: any HTTPDocumentFetcher = URLSessionDocumentFetcher(),
        onKeyEvent: (@Sendable (RemoteJWKSet.Event) -> Void)? = nil
    ) throws(PortcullisError) {
        self.issuer = metadata.issuer
        self.configuration = configuration
        self.fetcher = fetcher
        self.onKeyEvent = onKeyEvent
        self.resolved = (metadata, try Self.keySet(for: metadata, configuration: configuration, fetcher: fetcher, onEvent: onKeyEvent))
    }

    /// The provider's metadata, discovered on first use.
    /// - Throws: see ``ProviderDiscovery/discover(issuer:documents:)``.
    public func metadata() async throws(PortcullisError) -> ProviderMetadata {
        try await resolve().0
    }

    /// The provider's JWK Set, after discovery.
    public func keys() async throws(PortcullisError) -> RemoteJWKSet {
        try await resolve().1
    }

    /// Metadata and key set together, in one call.
    public func resolve() async throws(PortcullisError) -> (ProviderMetadata, RemoteJWKSet) {
        if let resolved { return resolved }
        if inflight == nil, let lastFailure,
           configuration.keys.clock() - lastFailure.at < configuration.discoveryRetryInterval {
            throw lastFailure.error
        }
        let task: Task<Result<(ProviderMetadata, RemoteJWKSet), PortcullisError>, Never>
        if let inflight {
            task = inflight
        } else {
            task = Task { await self.discover() }
            inflight = task
        }
        return try await task.value.get()
    }

    private func discover() async -> Result<(ProviderMetadata, RemoteJWKSet), PortcullisError> {
        let discovery = ProviderDiscovery(fetcher: fetcher, limits: configuration.discoveryLimits)
        let result: Result<(ProviderMetadata, RemoteJWKSet), PortcullisError>
        do {
            let metadata = try await discovery.discover(issuer: issuer, documents: configuration.documents)
            let keys = try Self.keySet(for: metadata, configuration: configuration, fetcher: fetcher, onEvent: onKeyEvent)
            result = .success((metadata, keys))
        } catch {
            result = .failure(error)
        }
        inflight = nil
        switch result {
        case .success(let value):
            resolved = value
            lastFailure = nil
        case .failure(let error):
            lastFailure = (configuration.keys.clock(), error)
        }
        return result
    }

    private static func keySet(
        for metadata: ProviderMetadata, configuration: OIDCProviderConfiguration,
        fetcher: any HTTPDocumentFetcher, onEvent: (@Sendable (RemoteJWKSet.Event) -> Void)?
    ) throws(PortcullisError) -> RemoteJWKSet {
        guard let jwksURI = metadata.jwksURI else {
            throw PortcullisError(
                .malformed, "the metadata of \(metadata.issuer) has no \"jwks_uri\"; no keys to verify with", claim: "jwks_uri")
        }
        let url = try RemoteURLRule.url(jwksURI, allowsLoopbackHTTP: configuration.keys.limits.allowsLoopbackHTTP)
        return try RemoteJWKSet(url: url, configuration: configuration.keys, fetcher: fetcher, onEvent: onEvent)
    }
}
