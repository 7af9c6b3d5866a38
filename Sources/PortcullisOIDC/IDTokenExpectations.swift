public import PortcullisJOSE
public import PortcullisJWT

/// What the client sent or received in the flow that produced an ID token, and so what the ID
/// token must show (OpenID Connect Core 1.0 §3.1.3.7, §3.2.2.11, §3.3.2.12).
public struct IDTokenExpectations: Sendable {
    /// The `nonce` sent in the authentication request. When set, the ID token must carry an equal
    /// `nonce` (§3.1.3.7 item 11); pass it whenever one was sent.
    public var nonce: String?
    /// The access token returned with the ID token. When set and the ID token has `at_hash`, the
    /// hash must match (§3.1.3.8, §3.2.2.9).
    public var accessToken: String?
    /// `at_hash` must be present: the implicit flow's `id_token token` response (§3.2.2.10).
    public var requiresAccessTokenHash: Bool
    /// The authorization code returned with the ID token (hybrid flow). When set and the ID token
    /// has `c_hash`, the hash must match (§3.3.2.10).
    public var authorizationCode: String?
    /// `c_hash` must be present: hybrid responses `code id_token` and `code id_token token` (§3.3.2.11).
    public var requiresCodeHash: Bool
    /// The `max_age` sent, in seconds. `auth_time` is then required and `auth_time + max_age +
    /// leeway` must not be before now (§3.1.2.1, §3.1.3.7 item 13).
    public var maxAge: Double?
    /// `auth_time` was requested as an essential claim (or by `require_auth_time` registration).
    public var requiresAuthTime: Bool
    /// The `acr` values requested as essential. When set, `acr` is required and must be one of them
    /// (§3.1.3.7 item 12, §5.5.1.1).
    public var acceptableACRValues: [String]?

    /// Creates expectations; everything is optional.
    public init(
        nonce: String? = nil,
        accessToken: String? = nil,
        requiresAccessTokenHash: Bool = false,
        authorizationCode: String? = nil,
        requiresCodeHash: Bool = false,
        maxAge: Double? = nil,
        requiresAuthTime: Bool = false,
        acceptableACRValues: [String]? = nil
    ) {
        self.nonce = nonce
        self.accessToken = accessToken
        self.requiresAccessTokenHash = requiresAccessTokenHash
        self.authorizationCode = authorizationCode
        self.requiresCodeHash = requiresCodeHash
        self.maxAge = maxAge
        self.requiresAuthTime = requiresAuthTime
        self.acceptableACRValues = acceptableACRValues
    }
}

/// An ID token that passed every rule of ``IDTokenValidator``.
public struct VerifiedIDToken: Sendable {
    /// The verified token (header, claims, algorithm, key).
    public let token: VerifiedToken
    /// `sub`: the End-User at the issuer (§2, REQUIRED).
    public let subject: String
    /// `iat` (§2, REQUIRED).
    public let issuedAt: NumericDate
    /// `auth_time`, when present.
    public let authTime: NumericDate?
    /// `nonce`, when present.
    public let nonce: String?
    /// `acr`, when present.
    public let authenticationContextClass: String?
    /// `amr`, when present and an array of strings.
    public let authenticationMethods: [String]?
    /// `azp`, when present.
    public let authorizedParty: String?

    /// The raw value of any claim.
    public subscript(claim: String) -> JSONValue? { token.claims[claim] }
}
