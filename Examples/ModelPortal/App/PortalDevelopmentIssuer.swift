public import Portcullis

/// The portal's built-in development issuer: an ES256 key made at start, a discovery document, a
/// JWK Set, and access tokens carrying one role at the configured roles claim.
///
/// - Warning: Development only. Anyone who can reach `POST /dev/token` gets an Admin token, which
///   is why the portal turns the issuer off as soon as `--issuer` names a real provider.
public struct PortalDevelopmentIssuer: Sendable {
    /// The issuer URL (`iss`): the portal's public URL.
    public let issuer: String
    /// The audience of minted tokens: the portal's client id.
    public let audience: String
    /// Where minted tokens put their roles.
    public let rolesClaim: ClaimPath
    /// The `kid` of the signing key.
    public let keyID: String
    /// How long minted tokens live, in seconds.
    public let lifetime: Double
    private let signer: JWTSigner
    private let verificationKey: VerificationKey

    /// Creates an issuer with a fresh ES256 key.
    public init(issuer: String, audience: String, rolesClaim: ClaimPath, lifetime: Double = 3600) throws(PortcullisError) {
        let key = try CryptoKey.generate(for: .es256)
        keyID = "portal-dev-" + Base64URL.encode(try SecureRandom.bytes(6))
        self.issuer = issuer
        self.audience = audience
        self.rolesClaim = rolesClaim
        self.lifetime = lifetime
        signer = try JWTSigner(key: key, algorithm: .es256, keyID: keyID)
        verificationKey = VerificationKey(key, keyID: keyID, algorithm: .es256, use: "sig")
    }

    /// The key that verifies this issuer's tokens.
    public var keySet: KeySet { KeySet([verificationKey]) }

    /// The published JWK Set (public key only).
    public func jwks() throws(PortcullisError) -> JSONObject {
        var jwk = try verificationKey.key.jwk()
        jwk.keyID = keyID
        jwk.algorithm = JWSAlgorithm.es256.name
        jwk.use = "sig"
        return JWKSet(keys: [jwk]).jsonObject(includingPrivate: false)
    }

    /// The OpenID Connect discovery document (what a resource server reads).
    public func discoveryDocument() -> JSONObject {
        [
            "issuer": .string(issuer),
            "jwks_uri": .string(issuer + "/.well-known/jwks.json"),
            "token_endpoint": .string(issuer + "/dev/token"),
            "response_types_supported": .array([.string("token")]),
            "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string(JWSAlgorithm.es256.name)]),
        ]
    }

    /// Mints an access token (`typ` `at+jwt`) for `subject` with `roles` at ``rolesClaim``.
    /// - Parameters:
    ///   - roles: The roles; `nil` leaves the claim out.
    ///   - audience: Overrides ``audience`` (tests use it for tokens addressed elsewhere).
    ///   - type: The `typ` header (`nil` omits it).
    ///   - extraClaims: Further claims (tests use them for roles in other shapes and places).
    public func mint(
        roles: [String]?, subject: String, now: Double = NumericDate.now.secondsSince1970,
        audience: String? = nil, type: String? = "at+jwt", extraClaims: JSONObject = JSONObject()
    ) throws(PortcullisError) -> String {
        var claims: JSONObject = [
            "iss": .string(issuer),
            "sub": .string(subject),
            "aud": .string(audience ?? self.audience),
            "iat": .number(JSONNumber(Int64(now))),
            "exp": .number(JSONNumber(Int64(now + lifetime))),
            "jti": .string(Base64URL.encode(try SecureRandom.bytes(12))),
            "client_id": .string(self.audience),
        ]
        for member in extraClaims { claims[member.name] = member.value }
        if let roles { Self.place(.array(roles.map(JSONValue.string)), at: rolesClaim.segments[...], in: &claims) }
        return try signer.sign(claims, type: type)
    }

    /// Puts `value` at the path `segments` in `object`, creating nested objects on the way.
    static func place(_ value: JSONValue, at segments: ArraySlice<String>, in object: inout JSONObject) {
        guard let first = segments.first else { return }
        guard segments.count > 1 else {
            object[first] = value
            return
        }
        var inner = object[first]?.objectValue ?? JSONObject()
        place(value, at: segments.dropFirst(), in: &inner)
        object[first] = .object(inner)
    }
}
