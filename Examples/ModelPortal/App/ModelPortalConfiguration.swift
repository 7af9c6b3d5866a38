public import Portcullis

/// How the model portal runs (DESIGN.md, "the model portal example").
public struct ModelPortalConfiguration: Sendable {
    /// Who issues the tokens the portal accepts.
    public enum Issuer: Sendable, Equatable {
        /// The built-in development issuer (the default): its own key, discovery, JWK Set and
        /// `POST /dev/token`, which mints a token for any role.
        case development
        /// An OpenID provider found through discovery of this issuer URL (`https`, or `http` on
        /// `127.0.0.1`/`localhost` for development).
        case external(String)
    }

    /// The address to listen on (default `127.0.0.1`).
    public var host: String
    /// The port (default 8080).
    public var port: Int
    /// The token issuer.
    public var issuer: Issuer
    /// The portal's client id at the provider: tokens must name it (or ``publicURL``) in `aud`.
    public var clientID: String
    /// The client secret, kept for the browser sign-in (authorization code flow); the JSON API
    /// does not use it.
    public var clientSecret: String?
    /// Where the token's roles are (default `roles`; `realm_access.roles` for Keycloak).
    public var rolesClaim: ClaimPath
    /// Whether a token without a `typ` header is accepted. Off by default: only `at+jwt`
    /// (RFC 9068 §2.1) and `JWT` are (RFC 8725 §3.11, explicit typing).
    public var acceptsUntypedTokens: Bool
    /// The largest accepted request body, in bytes (default 16 KiB); larger bodies get 413.
    public var maximumBodySize: Int
    /// The session cookie keys: the first seals, the others still open cookies sealed before a
    /// rotation. Empty (the default): one random key per process, so a restart signs everyone out.
    public var sessionKeys: [SessionKey] = []
    /// A browser session unused this long ends, in seconds (default 30 minutes).
    public var sessionIdleTimeout: Double = 1_800
    /// A browser session ends this long after sign-in, in seconds (default 8 hours).
    public var sessionAbsoluteTimeout: Double = 28_800
    /// A signed-in session's roles are re-read from the provider (a refresh) at least this often,
    /// in seconds; `nil` (the default): when the access token is about to expire.
    public var claimsMaximumAge: Double?
    /// `private_key_jwt` for the browser sign-in's token requests (instead of the client secret).
    public var clientAssertion: ClientAssertionSigner?
    /// A directory for the sessions (``FileSessionStore``): with ``sessionKeys``, sessions survive
    /// restarts. `nil` (the default): in memory.
    public var sessionDirectory: String?
    private var explicitPublicURL: String?

    /// Creates a configuration; the defaults run the development issuer on 127.0.0.1:8080 with the
    /// client id `model-portal`.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, issuer: Issuer = .development,
        clientID: String = "model-portal", clientSecret: String? = nil, rolesClaim: ClaimPath = "roles",
        publicURL: String? = nil, acceptsUntypedTokens: Bool = false, maximumBodySize: Int = 16_384
    ) {
        self.host = host
        self.port = port
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.rolesClaim = rolesClaim
        self.explicitPublicURL = nil
        self.acceptsUntypedTokens = acceptsUntypedTokens
        self.maximumBodySize = maximumBodySize
        if let publicURL { self.publicURL = publicURL }
    }

    /// The portal's base URL: `--public-url` when given (without a trailing `/`), else
    /// `http://<host>:<port>`. It is an accepted audience, and the development issuer's `iss`.
    public var publicURL: String {
        get {
            if let explicitPublicURL { return explicitPublicURL }
            let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
            return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
        }
        set {
            var url = newValue
            while url.hasSuffix("/") { url.removeLast() }
            explicitPublicURL = url
        }
    }

    /// The audiences a token may carry: the client id and the public URL.
    public var audiences: [String] { [clientID, publicURL] }
}
