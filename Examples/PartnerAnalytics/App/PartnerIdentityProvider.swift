import Foundation
public import Portcullis

/// The built-in partner identity provider of development mode: the issuer a partner company would
/// run, here at `<public URL>/partner`, with OpenID Connect discovery, a JWK Set and a token
/// endpoint that mints sample user tokens for the exchange service.
public struct PartnerIdentityProvider: Sendable {
    /// The issuer (`<public URL>/partner`).
    public let issuer: String
    /// The default audience of minted tokens: the exchange service (its issuer URL).
    public let audience: String
    /// The signing key's `kid`.
    public let keyID: String
    private let signer: JWTSigner
    private let key: VerificationKey

    /// Creates a provider with a fresh ES256 key.
    public init(issuer: String, audience: String) throws(PortcullisError) {
        let privateKey = try CryptoKey.generate(for: .es256)
        keyID = "partner-" + Base64URL.encode(try SecureRandom.bytes(6))
        self.issuer = issuer
        self.audience = audience
        signer = try JWTSigner(key: privateKey, algorithm: .es256, keyID: keyID)
        key = VerificationKey(privateKey, keyID: keyID, algorithm: .es256, use: "sig")
    }

    /// The discovery document (OpenID Connect Discovery 1.0 §3).
    public func discoveryDocument() -> JSONObject {
        [
            "issuer": .string(issuer),
            "jwks_uri": .string(issuer + "/jwks.json"),
            "token_endpoint": .string(issuer + "/token"),
            "response_types_supported": .array([.string("token")]),
            "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string("ES256")]),
        ]
    }

    /// The public JWK Set.
    public func jwks() throws(PortcullisError) -> JSONObject {
        var jwk = try key.key.jwk()
        jwk.keyID = keyID
        jwk.algorithm = "ES256"
        jwk.use = "sig"
        return JWKSet(keys: [jwk]).jsonObject(includingPrivate: false)
    }

    /// Mints a partner user's access token for the exchange service.
    /// - Parameters:
    ///   - extraClaims: Added or replaced claims (`may_act`, `act`, another `aud`); `.null` removes one.
    ///   - lifetime: Seconds until `exp` (negative for an expired token).
    public func mint(
        subject: String, lifetime: Double = 600, extraClaims: JSONObject = JSONObject(),
        now: Double? = nil
    ) throws(PortcullisError) -> String {
        let now = now ?? Date().timeIntervalSince1970
        var claims: JSONObject = [
            "iss": .string(issuer),
            "sub": .string(subject),
            "aud": .string(audience),
            "iat": .number(JSONNumber(Int64(now))),
            "exp": .number(JSONNumber(Int64(now + lifetime))),
            "jti": .string(Base64URL.encode(try SecureRandom.bytes(12))),
            "scope": .string("openid profile"),
        ]
        for member in extraClaims { claims[member.name] = member.value.isNull ? nil : member.value }
        return try signer.sign(claims, type: "at+jwt")
    }
}
