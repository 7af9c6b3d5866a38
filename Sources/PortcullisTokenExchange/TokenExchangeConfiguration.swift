public import PortcullisJOSE
import PortcullisJWT

/// Where the token-exchange service lives and how long its tokens live.
public struct TokenExchangeConfiguration: Sendable {
    /// The service's issuer identifier (`iss` of issued tokens, RFC 8414 `issuer`): its public URL.
    public var issuer: String
    /// The token endpoint URL (default `<issuer>/oauth2/token`).
    public var tokenEndpoint: String
    /// The JWK Set URL (default `<issuer>/.well-known/jwks.json`).
    public var jwksURI: String
    /// Lifetime of issued tokens, in seconds (default 300; never beyond the subject token's `exp`).
    public var tokenLifetime: Double
    /// Subject and actor token types accepted (default: access token, JWT, ID token).
    public var acceptedTokenTypes: Set<String>
    /// The largest request body read, in bytes (default 16 KiB).
    public var maximumBodySize: Int
    /// The clock.
    public var clock: @Sendable () -> NumericDate

    /// Creates a configuration for a service whose public URL is `issuer`.
    public init(issuer: String, tokenLifetime: Double = 300) {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.issuer = issuer
        self.tokenEndpoint = base + "/oauth2/token"
        self.jwksURI = base + "/.well-known/jwks.json"
        self.tokenLifetime = tokenLifetime
        self.acceptedTokenTypes = TokenExchangeURI.acceptedInputTypes
        self.maximumBodySize = 16_384
        self.clock = { .now }
    }

    /// The RFC 8414 §2 authorization-server metadata; `issuer` equals ``issuer`` (§3.3).
    public var metadata: JSONObject {
        [
            "issuer": .string(issuer),
            "token_endpoint": .string(tokenEndpoint),
            "jwks_uri": .string(jwksURI),
            "grant_types_supported": .array([.string(TokenExchangeURI.grantType)]),
            "token_endpoint_auth_methods_supported": .array(ClientAuthenticationMethod.allCases.map { .string($0.rawValue) }),
            "token_endpoint_auth_signing_alg_values_supported": .array(
                ClientAuthenticator.assertionAlgorithms.map { .string($0.name) }),
            // Required by RFC 8414 §2; empty: this server has no authorization endpoint.
            "response_types_supported": .array([]),
        ]
    }
}
