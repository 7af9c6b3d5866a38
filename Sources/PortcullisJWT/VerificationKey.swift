public import PortcullisJOSE
public import PortcullisCrypto

/// A key trusted to verify tokens, with the JWK metadata that restricts how it may be used.
///
/// The metadata follows RFC 7517 §4: when present, `alg` must equal the token's algorithm
/// (§4.4), `use` must be `sig` (§4.2) and `key_ops` must include `verify` (§4.3). A key that
/// fails any of these does not *fit* a token and is never chosen for it.
public struct VerificationKey: Sendable {
    /// The key material.
    public let key: CryptoKey
    /// `kid`: the id tokens name in their header to select this key (RFC 7515 §4.1.4).
    public let keyID: String?
    /// The one algorithm this key may be used with, when restricted (`alg`, RFC 7517 §4.4).
    /// Stored as the JWK's string so that an unknown value still restricts (it then fits nothing).
    public let algorithmName: String?
    /// The intended use (`use`, RFC 7517 §4.2), for example `sig`.
    public let use: String?
    /// The permitted operations (`key_ops`, RFC 7517 §4.3), for example `["verify"]`.
    public let keyOperations: [String]?

    /// Wraps a key with optional metadata.
    /// - Parameters:
    ///   - key: The key material; for an asymmetric private key only its public half is used.
    ///   - keyID: The `kid` tokens use to name it.
    ///   - algorithm: Restricts the key to one algorithm. Recommended (RFC 8725 §3.1).
    ///   - use: `sig`, or `nil` for unrestricted.
    ///   - keyOperations: Permitted operations, or `nil` for unrestricted.
    public init(
        _ key: CryptoKey,
        keyID: String? = nil,
        algorithm: JWSAlgorithm? = nil,
        use: String? = nil,
        keyOperations: [String]? = nil
    ) {
        self.key = key
        self.keyID = keyID
        self.algorithmName = algorithm?.name
        self.use = use
        self.keyOperations = keyOperations
    }

    /// Builds a verification key from a JWK, keeping its `kid`, `alg`, `use` and `key_ops`.
    /// - Throws: `PortcullisError` with `.invalidKey` (weak, unsupported or inconsistent key
    ///   material) or `.malformed`.
    public init(jwk: JWK) throws(PortcullisError) {
        self.key = try CryptoKey(jwk: jwk)
        self.keyID = jwk.keyID
        self.algorithmName = jwk.algorithm
        self.use = jwk.use
        self.keyOperations = jwk.keyOperations
    }

    /// The algorithm restriction as a known algorithm, or `nil` when unrestricted or unknown.
    public var algorithm: JWSAlgorithm? { algorithmName.flatMap(JWSAlgorithm.init(name:)) }

    /// Whether this key may verify a token signed with `algorithm`: the key type and curve match,
    /// and `alg`, `use` and `key_ops` (when present) allow it. Strength is checked separately.
    public func fits(_ algorithm: JWSAlgorithm) -> Bool {
        if let algorithmName, algorithmName != algorithm.name { return false }
        if let use, use != "sig" { return false }
        if let keyOperations, !keyOperations.contains("verify") { return false }
        return key.isCompatible(with: algorithm)
    }

    /// Why this key does not fit `algorithm`, for error messages; `nil` when it fits.
    func misfitReason(for algorithm: JWSAlgorithm) -> String? {
        if let algorithmName, algorithmName != algorithm.name {
            return "its \"alg\" is \(algorithmName), the token uses \(algorithm.name)"
        }
        if let use, use != "sig" { return "its \"use\" is \"\(use)\", not \"sig\"" }
        if let keyOperations, !keyOperations.contains("verify") {
            return "its \"key_ops\" \(keyOperations) do not include \"verify\""
        }
        if !key.isCompatible(with: algorithm) {
            return "it is \(key.summary), which cannot verify \(algorithm.name)"
        }
        return nil
    }
}

extension CryptoKey {
    /// "an RSA key", "an EC P-256 key", … for messages.
    var summary: String {
        switch keyType {
        case .octet: "an HMAC (oct) key"
        case .rsa: "an RSA key"
        case .ec: "an EC \(curve?.name ?? "") key"
        case .okp: "an OKP \(curve?.name ?? "") key"
        }
    }
}
