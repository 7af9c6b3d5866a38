public import PortcullisJOSE
public import PortcullisJWT

/// Verifies tokens of one ``OIDCProvider`` with its remote keys: a ``TokenVerifying`` that does
/// what ``JWTVerifier`` does, with keys from discovery.
///
/// ```swift
/// let provider = try OIDCProvider(issuer: "https://login.example.com")
/// let verifier = OIDCVerifier(provider: provider, audiences: ["api://completions"])
/// let token = try await verifier.verifyToken(bearer)
/// ```
///
/// - `iss` must equal the provider's issuer exactly (any `issuers` in the configuration are
///   replaced by it).
/// - Algorithms: the configuration's, when non-empty; otherwise the provider's
///   `id_token_signing_alg_values_supported` intersected with ``defaultAlgorithms`` (asymmetric
///   only, never `none`, never HMAC with a public key set), or ``defaultAlgorithms`` when the
///   metadata (RFC 8414) has no such list.
/// - Rotation: a token that fails with `key_not_found` because its `kid` is not in the current
///   set (or, without a `kid`, because no key fits or the one candidate key's signature fails)
///   makes the key set refetch — at most once per cooldown, see
///   ``RemoteJWKSet/keySetAfterUnknownKey()`` — and is verified once more with the new keys.
public struct OIDCVerifier: TokenVerifying {
    /// Asymmetric JWS algorithms accepted when nothing narrower is configured: RS*, PS*, ES*, EdDSA.
    public static let defaultAlgorithms: Set<JWSAlgorithm> = [
        .rs256, .rs384, .rs512, .ps256, .ps384, .ps512, .es256, .es384, .es512, .eddsa,
    ]

    /// The issuer whose tokens this verifies.
    public let provider: OIDCProvider
    /// The rules besides the keys; `issuers` is the provider's issuer.
    public let configuration: VerifierConfiguration

    /// Creates a verifier.
    /// - Parameters:
    ///   - provider: The issuer and its keys.
    ///   - configuration: Claim rules (audience, type, scopes, leeway, clock …). Leave
    ///     `algorithms` empty to take them from the provider's metadata.
    public init(provider: OIDCProvider, configuration: VerifierConfiguration) {
        var configuration = configuration
        configuration.issuers = [provider.issuer]
        self.provider = provider
        self.configuration = configuration
    }

    /// Creates a verifier for tokens addressed to one of `audiences`, with algorithms from the
    /// provider's metadata and the other defaults of ``VerifierConfiguration``.
    public init(provider: OIDCProvider, audiences: [String]) {
        self.init(provider: provider, configuration: VerifierConfiguration(algorithms: [], audiences: audiences))
    }

    /// The algorithms tokens may use, after discovery.
    public func algorithms() async throws(PortcullisError) -> Set<JWSAlgorithm> {
        try Self.algorithms(configured: configuration.algorithms, metadata: await provider.metadata())
    }

    /// Verifies `token` with the provider's current keys, refetching once for an unknown key.
    /// - Throws: every code of ``JWTVerifier``, plus `fetch_failed` when no keys can be obtained
    ///   and `invalid_issuer` when discovery found a different issuer.
    public func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken {
        let (metadata, remote) = try await provider.resolve()
        var rules = configuration
        rules.algorithms = try Self.algorithms(configured: configuration.algorithms, metadata: metadata)
        let keys = try await remote.keySet()
        do {
            return try JWTVerifier(keys: keys, configuration: rules).verify(token)
        } catch {
            guard Self.mayBeRotation(error, token: token, keys: keys, rules: rules),
                  let fresh = await remote.keySetAfterUnknownKey() else { throw error }
            return try JWTVerifier(keys: fresh, configuration: rules).verify(token)
        }
    }

    /// Whether a refetch could change the outcome: the token's `kid` is not in the set, or a
    /// token without `kid` found no key or failed with the one key that fit.
    static func mayBeRotation(
        _ error: PortcullisError, token: Substring, keys: KeySet, rules: VerifierConfiguration
    ) -> Bool {
        guard error.code == .keyNotFound || error.code == .invalidSignature else { return false }
        guard let jws = try? JWSCompact.parse(token, maxSize: rules.maximumTokenSize, jsonLimits: rules.jsonLimits) else {
            return false
        }
        guard let keyID = jws.header.keyID else { return true }
        return error.code == .keyNotFound && !keys.keys.contains { $0.keyID == keyID }
    }

    /// The effective allow-list (see the type's documentation).
    /// - Throws: `algorithm_not_allowed` when the provider supports none of the safe algorithms.
    static func algorithms(
        configured: Set<JWSAlgorithm>, metadata: ProviderMetadata
    ) throws(PortcullisError) -> Set<JWSAlgorithm> {
        if !configured.isEmpty { return configured }
        guard let advertised = metadata.idTokenSigningAlgValuesSupported else { return defaultAlgorithms }
        let usable = Set(advertised.compactMap(JWSAlgorithm.init(name:))).intersection(defaultAlgorithms)
        guard !usable.isEmpty else {
            throw PortcullisError(
                .algorithmNotAllowed,
                "\(metadata.issuer) advertises only \(advertised) in id_token_signing_alg_values_supported, none of them an accepted asymmetric algorithm; configure the algorithms explicitly",
                expected: defaultAlgorithms.map(\.name).sorted().joined(separator: ","),
                actual: advertised.joined(separator: ","))
        }
        return usable
    }
}
