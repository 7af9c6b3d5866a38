public import PortcullisJOSE
public import PortcullisCrypto

/// Mints compact JWS tokens (RFC 7515 §7.1) with one key and one algorithm.
///
/// ```swift
/// let key = try CryptoKey.generate(for: .es256)
/// let signer = try JWTSigner(key: key, algorithm: .es256, keyID: "2026-11")
/// let token = try signer.sign([
///     "iss": .string("https://issuer.example"),
///     "sub": .string("user-42"),
///     "exp": .number(JSONNumber(Int64(1_900_000_000))),
/// ], type: "at+jwt")
/// ```
public struct JWTSigner: Sendable {
    /// The signing key.
    public let key: CryptoKey
    /// The algorithm written to `alg`.
    public let algorithm: JWSAlgorithm
    /// The `kid` written to the header, when set.
    public let keyID: String?

    /// Creates a signer.
    /// - Throws: `.invalidKey` when the key cannot sign with `algorithm` (wrong type or curve,
    ///   too short, or a public key).
    public init(key: CryptoKey, algorithm: JWSAlgorithm, keyID: String? = nil) throws(PortcullisError) {
        guard key.isCompatible(with: algorithm) else {
            throw PortcullisError(
                .invalidKey, "\(key.summary) cannot sign \(algorithm.name)", keyID: keyID, algorithm: algorithm.name)
        }
        try key.checkUsable(with: algorithm)
        guard key.isPrivate else {
            throw PortcullisError(
                .invalidKey, "a public key cannot sign; use the private key", keyID: keyID, algorithm: algorithm.name)
        }
        self.key = key
        self.algorithm = algorithm
        self.keyID = keyID
    }

    /// Signs a claim set.
    /// - Parameters:
    ///   - claims: The JWT claims (RFC 7519 §4).
    ///   - type: The `typ` header; `"JWT"` by default, `"at+jwt"` for RFC 9068 access tokens, `nil`
    ///     to omit it.
    ///   - additionalHeader: Further header parameters. `alg` and `kid` are always set by the signer
    ///     and cannot be overridden here.
    /// - Returns: The compact serialization.
    public func sign(
        _ claims: JSONObject, type: String? = "JWT", additionalHeader: JSONObject = JSONObject()
    ) throws(PortcullisError) -> String {
        var header = JSONObject()
        header["alg"] = .string(algorithm.name)
        if let type { header["typ"] = .string(type) }
        if let keyID { header["kid"] = .string(keyID) }
        for member in additionalHeader where member.name != "alg" && member.name != "kid" {
            header[member.name] = member.value
        }
        return try sign(payload: JSONValue.object(claims).serializedBytes(), header: header)
    }

    /// Signs arbitrary payload bytes with a complete protected header. The header's `alg` must be
    /// this signer's algorithm.
    public func sign(payload: [UInt8], header: JSONObject) throws(PortcullisError) -> String {
        guard header["alg"]?.stringValue == algorithm.name else {
            throw PortcullisError(.malformed, "the header's alg must be \(algorithm.name)", claim: "alg")
        }
        var token = Base64URL.encode(JSONValue.object(header).serializedBytes())
        token.append(".")
        token.append(Base64URL.encode(payload))
        let signature = try key.sign(Array(token.utf8), algorithm: algorithm)
        token.append(".")
        token.append(Base64URL.encode(signature))
        return token
    }
}
