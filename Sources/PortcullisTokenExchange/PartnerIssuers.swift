public import PortcullisJOSE
public import PortcullisJWT
public import PortcullisOIDC

/// Builds the subject-token verifier for a set of trusted partner identity providers.
public enum PartnerIssuers {
    /// One ``OIDCVerifier`` per partner issuer — keys found through
    /// `/.well-known/openid-configuration`, falling back to RFC 8414 metadata — combined in a
    /// ``MultiIssuerVerifier`` (a token naming any other issuer is refused before anything is
    /// fetched). Tokens must carry `sub` and name `audiences` (the service's issuer URL or its
    /// token endpoint) in `aud`.
    /// - Parameter allowsLoopbackHTTP: Accept `http://` issuers on loopback hosts (development only).
    /// - Throws: `invalid_issuer` for an issuer that is not an `https` URL, or one given twice.
    public static func verifier(
        issuers: [String], audiences: [String], allowsLoopbackHTTP: Bool = false,
        clock: @escaping @Sendable () -> NumericDate = { .now }
    ) throws(PortcullisError) -> MultiIssuerVerifier {
        var providerConfiguration = OIDCProviderConfiguration(documents: [.openIDConnect, .authorizationServer])
        providerConfiguration.allowsLoopbackHTTP = allowsLoopbackHTTP
        var verifiers: [OIDCVerifier] = []
        for issuer in issuers {
            let provider = try OIDCProvider(issuer: issuer, configuration: providerConfiguration)
            var rules = VerifierConfiguration(algorithms: [], audiences: audiences)
            rules.requiredClaims = ["sub"]
            rules.clock = clock
            verifiers.append(OIDCVerifier(provider: provider, configuration: rules))
        }
        return try MultiIssuerVerifier(verifiers)
    }
}
