public import PortcullisJOSE
public import PortcullisJWT

/// Makes the client assertions of `private_key_jwt` (OpenID Connect Core 1.0 §9, RFC 7523 §2.2
/// and §3): a fresh, short-lived JWT signed with the client's private key for every token request,
/// so no shared secret exists that the provider or a log could leak.
///
/// Each assertion has `iss` and `sub` = the client id, a single `aud`, a random `jti` (256 bits)
/// the provider uses to refuse replays, `iat`, and `exp` ``lifetime`` seconds later.
public struct ClientAssertionSigner: Sendable {
    /// What the assertion's `aud` names.
    public enum Audience: Sendable, Hashable {
        /// The provider's issuer identifier, as a single string: the value every conforming
        /// provider accepts (RFC 7523 §3 "identifies the authorization server") and the one that
        /// defeats audience-injection attacks, where an assertion made for one server is replayed
        /// to another that shares the client's key (draft-ietf-oauth-rfc7523bis, 2025).
        case issuer
        /// The token endpoint URL (Core §9 "SHOULD be the URL of the Authorization Server's Token
        /// Endpoint"), for providers that accept nothing else.
        case tokenEndpoint
    }

    /// Signs the assertions (any asymmetric algorithm the provider supports; the private key).
    public let signer: JWTSigner
    /// The `aud` (default ``Audience/issuer``).
    public var audience: Audience
    /// Seconds from `iat` to `exp` (default 60; between 1 and 600).
    public var lifetime: Double

    /// Creates a signer.
    /// - Throws: `invalid_key` for an HMAC signer: `private_key_jwt` needs a private key
    ///   (`client_secret_jwt`, its HMAC sibling, is deliberately not offered).
    public init(signer: JWTSigner, audience: Audience = .issuer, lifetime: Double = 60) throws(PortcullisError) {
        guard signer.algorithm.family != .hmac else {
            throw PortcullisError(
                .invalidKey, "private_key_jwt needs an asymmetric key, not \(signer.algorithm.name)", algorithm: signer.algorithm.name)
        }
        self.signer = signer
        self.audience = audience
        self.lifetime = min(600, max(1, lifetime))
    }

    /// A new assertion.
    /// - Parameters:
    ///   - clientID: The client id (`iss` and `sub`).
    ///   - issuer: The provider's issuer identifier.
    ///   - tokenEndpoint: The token endpoint URL.
    ///   - now: Seconds since 1970.
    public func assertion(clientID: String, issuer: String, tokenEndpoint: String, now: Double) throws(PortcullisError) -> String {
        let audience = switch self.audience {
        case .issuer: issuer
        case .tokenEndpoint: tokenEndpoint
        }
        let issuedAt = now.rounded(.down)
        return try signer.sign([
            "iss": .string(clientID), "sub": .string(clientID), "aud": .string(audience), "jti": .string(try RandomToken.make()),
            "iat": .number(JSONNumber(issuedAt)), "exp": .number(JSONNumber(issuedAt + lifetime.rounded(.up))),
        ])
    }

    /// `client_assertion_type` (RFC 7523 §2.2).
    public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
}
