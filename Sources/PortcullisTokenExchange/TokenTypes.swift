/// The URIs of RFC 8693 §3 and the grant type of §2.1.
public enum TokenExchangeURI {
    /// `grant_type` of a token-exchange request (RFC 8693 §2.1).
    public static let grantType = "urn:ietf:params:oauth:grant-type:token-exchange"
    /// An OAuth 2.0 access token (RFC 8693 §3).
    public static let accessToken = "urn:ietf:params:oauth:token-type:access_token"
    /// A JWT (RFC 8693 §3, RFC 7519).
    public static let jwt = "urn:ietf:params:oauth:token-type:jwt"
    /// An OpenID Connect ID token (RFC 8693 §3).
    public static let idToken = "urn:ietf:params:oauth:token-type:id_token"
    /// An OAuth 2.0 refresh token (RFC 8693 §3; never accepted or issued here).
    public static let refreshToken = "urn:ietf:params:oauth:token-type:refresh_token"
    /// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
    public static let jwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// The subject and actor token types accepted by default: access tokens, JWTs and ID tokens,
    /// all of them JWTs verified against the trusted issuers.
    public static let acceptedInputTypes: Set<String> = [accessToken, jwt, idToken]
    /// The token types this service issues (`requested_token_type`).
    public static let issuableTypes: Set<String> = [accessToken, jwt]
}
