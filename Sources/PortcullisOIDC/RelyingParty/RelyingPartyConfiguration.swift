/// How a relying party (an OpenID Connect client using the authorization code flow) is
/// registered at its provider, and the bounds of its sign-in flow.
public struct RelyingPartyConfiguration: Sendable {
    /// How the client authenticates at the token endpoint (OpenID Connect Core 1.0 §9).
    public enum ClientAuthentication: Sendable {
        /// HTTP Basic with the form-urlencoded client id and secret (RFC 6749 §2.3.1).
        case clientSecretBasic(String)
        /// `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1; discouraged but common).
        case clientSecretPost(String)
        /// `private_key_jwt`: a signed assertion per request (Core §9, RFC 7523 §2.2), the client's
        /// public key registered at the provider. No shared secret: the recommended choice.
        case privateKeyJWT(ClientAssertionSigner)
        /// A public client: `client_id` in the body, no secret; PKCE is then its only protection.
        case none
    }

    /// The `client_id`.
    public var clientID: String
    /// The token endpoint authentication.
    public var clientAuthentication: ClientAuthentication
    /// The registered `redirect_uri`, sent in the authorization and token requests (RFC 6749 §4.1.3).
    public var redirectURI: String
    /// The `scope` values; `openid` is always sent first (Core §3.1.2.1).
    public var scopes: [String]
    /// How long a started sign-in may take before its callback is refused, in seconds (default 600).
    public var pendingLoginLifetime: Double
    /// The bound on one token request, in seconds (default 10).
    public var tokenRequestTimeout: Double
    /// The largest accepted token response, in bytes (default 64 KiB).
    public var maximumTokenResponseSize: Int
    /// Development mode: allow a plain `http` token endpoint on a loopback host.
    public var allowsLoopbackHTTP: Bool
    /// Fetch userinfo after each sign-in (OpenID Connect Core §5.3) and authorize with its claims
    /// (``UserInfo/authorizationClaims(over:)``). Off by default: the ID token's claims are used.
    /// A refresh whose answer has no ID token always reads userinfo, whatever this says.
    public var fetchesUserInfo: Bool = false

    /// Creates a configuration.
    public init(
        clientID: String, clientAuthentication: ClientAuthentication, redirectURI: String,
        scopes: [String] = ["openid", "profile"], pendingLoginLifetime: Double = 600,
        tokenRequestTimeout: Double = 10, maximumTokenResponseSize: Int = 65_536, allowsLoopbackHTTP: Bool = false
    ) {
        self.clientID = clientID
        self.clientAuthentication = clientAuthentication
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.pendingLoginLifetime = pendingLoginLifetime
        self.tokenRequestTimeout = tokenRequestTimeout
        self.maximumTokenResponseSize = maximumTokenResponseSize
        self.allowsLoopbackHTTP = allowsLoopbackHTTP
    }
}

/// Optional authentication request parameters (OpenID Connect Core 1.0 §3.1.2.1).
public struct AuthorizationOptions: Sendable, Hashable {
    /// `prompt`: `none`, `login`, `consent`, `select_account` (space-separated when several).
    public var prompt: String?
    /// `max_age` in seconds: the ID token must then carry an `auth_time` no older than this.
    public var maxAge: Int?
    /// `acr_values`, in order of preference. Voluntary (§3.1.2.1): the ID token's `acr` is not
    /// required to be one of them.
    public var acrValues: [String]?

    /// Creates options; all absent by default.
    public init(prompt: String? = nil, maxAge: Int? = nil, acrValues: [String]? = nil) {
        self.prompt = prompt
        self.maxAge = maxAge
        self.acrValues = acrValues
    }
}
