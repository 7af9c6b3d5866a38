public import Portcullis

/// The completion server's built-in development issuer: a key made at start, a discovery document,
/// a JWK Set, and sample tokens for the free and premium tiers.
///
/// - Warning: Development only. Anyone who can reach `POST /dev/token` gets a token, which is why
///   the server turns the issuer off as soon as an external issuer is configured.
public struct DevelopmentIssuer: Sendable {
    /// The issuer URL (`iss`), which is the server's public URL.
    public let issuer: String
    /// The audience of minted tokens.
    public let audience: String
    /// The `kid` of the signing key.
    public let keyID: String
    /// The signing algorithm.
    public let algorithm: JWSAlgorithm
    private let signer: JWTSigner
    private let verificationKey: VerificationKey
    /// How long minted tokens live, in seconds.
    public let lifetime: Double

    /// Creates an issuer with a fresh key.
    public init(issuer: String, audience: String, algorithm: JWSAlgorithm = .es256, lifetime: Double = 3600) throws(PortcullisError) {
        let key = try CryptoKey.generate(for: algorithm)
        let keyID = "dev-" + Base64URL.encode(try SecureRandom.bytes(6))
        self.issuer = issuer
        self.audience = audience
        self.keyID = keyID
        self.algorithm = algorithm
        self.lifetime = lifetime
        self.signer = try JWTSigner(key: key, algorithm: algorithm, keyID: keyID)
        self.verificationKey = VerificationKey(key, keyID: keyID, algorithm: algorithm, use: "sig")
    }

    /// The keys that verify this issuer's tokens.
    public var keySet: KeySet { KeySet([verificationKey]) }

    /// The published JWK Set: the public key only (for HMAC, nothing is published).
    public func jwks() throws(PortcullisError) -> JSONObject {
        guard algorithm.family != .hmac else { return ["keys": .array([])] }
        var jwk = try verificationKey.key.jwk()
        jwk.keyID = keyID
        jwk.algorithm = algorithm.name
        jwk.use = "sig"
        return JWKSet(keys: [jwk]).jsonObject(includingPrivate: false)
    }

    /// The OpenID Connect discovery document (the subset a resource server reads).
    public func discoveryDocument() -> JSONObject {
        [
            "issuer": .string(issuer),
            "jwks_uri": .string(issuer + "/.well-known/jwks.json"),
            "token_endpoint": .string(issuer + "/dev/token"),
            "response_types_supported": .array([.string("token")]),
            "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string(algorithm.name)]),
            "scopes_supported": .array(["completions", "completions:premium"].map(JSONValue.string)),
        ]
    }

    /// The scopes a sample token of `tier` carries.
    public static func scopes(forTier tier: String) -> [String]? {
        switch tier {
        case "free": ["completions"]
        case "premium": ["completions", "completions:premium"]
        default: nil
        }
    }

    /// Mints a sample access token for `tier` (`free` or `premium`).
    /// - Returns: The token and its scopes.
    /// - Throws: `invalid_request` for an unknown tier.
    public func mint(tier: String, subject: String? = nil, now: Double) throws(PortcullisError) -> (token: String, scopes: [String]) {
        guard let scopes = Self.scopes(forTier: tier) else {
            throw PortcullisError(.invalidRequest, "tier must be free or premium", claim: "tier", actual: tier)
        }
        let token = try sign(scopes: scopes, subject: subject ?? "dev-user-\(tier)", now: now, extraClaims: ["tier": .string(tier)])
        return (token, scopes)
    }

    /// Mints an access token with any scopes (for tests and experiments).
    public func sign(
        scopes: [String], subject: String, now: Double = NumericDate.now.secondsSince1970, extraClaims: JSONObject = JSONObject()
    ) throws(PortcullisError) -> String {
        var claims: JSONObject = [
            "iss": .string(issuer),
            "sub": .string(subject),
            "aud": .string(audience),
            "iat": .number(JSONNumber(Int64(now))),
            "exp": .number(JSONNumber(Int64(now + lifetime))),
            "jti": .string(Base64URL.encode(try SecureRandom.bytes(12))),
            "client_id": .string("dev-client"),
            "scope": .string(scopes.joined(separator: " ")),
        ]
        for member in extraClaims { claims[member.name] = member.value }
        return try signer.sign(claims, type: "at+jwt")
    }
}
