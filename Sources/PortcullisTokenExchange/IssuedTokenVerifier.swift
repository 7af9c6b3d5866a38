public import PortcullisJOSE
public import PortcullisJWT

/// Verifies the tokens this service issued, for the API that accepts them: the current and the
/// previous keys of ``ExchangeSigningKeys`` (so a rotation never breaks tokens in flight), `iss`
/// = the service, `aud` = the API, `typ` `at+jwt`, and `sub`, `tenant`, `client_id` present.
public struct IssuedTokenVerifier: TokenVerifying {
    /// The service's keys.
    public let keys: ExchangeSigningKeys
    /// The rules besides the keys.
    public let configuration: VerifierConfiguration

    /// Creates a verifier for tokens that `issuer` issued for `audience`.
    public init(keys: ExchangeSigningKeys, issuer: String, audience: String, clock: @escaping @Sendable () -> NumericDate = { .now }) {
        var configuration = VerifierConfiguration(algorithms: [keys.algorithm], issuers: [issuer], audiences: [audience])
        configuration.expectedType = "at+jwt"
        configuration.requiredClaims = ["sub", "tenant", "client_id"]
        configuration.clock = clock
        self.keys = keys
        self.configuration = configuration
    }

    /// Verifies `token` with the currently published keys.
    public func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken {
        try JWTVerifier(keys: keys.keySet, configuration: configuration).verify(token)
    }
}
