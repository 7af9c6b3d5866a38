public import PortcullisJOSE
public import PortcullisCrypto

/// A key trusted to decrypt JWEs, with the JWK metadata that restricts its use.
///
/// The metadata follows RFC 7517 §4 and the Portcullis decryption contract: when present, `alg`
/// must equal the token's `alg` (§4.4; for `dir`, the token's `enc` is accepted too, as RFC 7520
/// §5.6 labels direct keys), `use` must be `enc` (§4.2), and `key_ops` must include `decrypt` or
/// `unwrapKey` (§4.3). A key that fails any of these is never chosen.
public struct DecryptionKey: Sendable {
    /// The key material; must be private (or a secret) to decrypt.
    public let key: EncryptionKey
    /// `kid` (RFC 7516 §4.1.6).
    public let keyID: String?
    /// The one algorithm this key may be used with (`alg`), kept as written so that an unknown
    /// value still restricts (it then fits nothing).
    public let algorithmName: String?
    /// `use`, for example `enc`.
    public let use: String?
    /// `key_ops`.
    public let keyOperations: [String]?

    /// Wraps a key with optional metadata.
    /// - Parameters:
    ///   - key: The private key or secret.
    ///   - keyID: The `kid` tokens use to name it.
    ///   - algorithm: Restricts the key to one algorithm (recommended).
    ///   - use: `enc`, or `nil` for unrestricted.
    ///   - keyOperations: Permitted operations, or `nil` for unrestricted.
    public init(
        _ key: EncryptionKey, keyID: String? = nil, algorithm: JWEAlgorithm? = nil,
        use: String? = nil, keyOperations: [String]? = nil
    ) {
        self.key = key
        self.keyID = keyID
        self.algorithmName = algorithm?.name
        self.use = use
        self.keyOperations = keyOperations
    }

    /// Builds a decryption key from a JWK, keeping its `kid`, `alg`, `use` and `key_ops`.
    /// - Throws: `invalid_key` or `malformed` for unacceptable material.
    public init(jwk: JWK) throws(PortcullisError) {
        self.key = try EncryptionKey(jwk: jwk)
        self.keyID = jwk.keyID
        self.algorithmName = jwk.algorithm
        self.use = jwk.use
        self.keyOperations = jwk.keyOperations
    }

    /// Whether this key may decrypt a token with `algorithm` and `encryption`, whose ephemeral
    /// key (for ECDH-ES) is on `ephemeralCurve`: the metadata allows it, the key is private, and
    /// its type and size are exactly what the algorithm needs.
    public func fits(
        _ algorithm: JWEAlgorithm, encryption: JWEEncryption, ephemeralCurve: EncryptionKey.Curve? = nil
    ) -> Bool {
        misfitReason(algorithm, encryption: encryption, ephemeralCurve: ephemeralCurve) == nil
    }

    /// Why this key does not fit, for error messages; `nil` when it fits.
    func misfitReason(
        _ algorithm: JWEAlgorithm, encryption: JWEEncryption, ephemeralCurve: EncryptionKey.Curve?
    ) -> String? {
        // A direct-encryption key may be labelled with the content encryption algorithm it is
        // the key of (RFC 7520 §5.6 does so: `"alg": "A128GCM"` on a `dir` key).
        if let algorithmName, algorithmName != algorithm.name, !(algorithm.family == .direct && algorithmName == encryption.name) {
            return "its \"alg\" is \(algorithmName), the token uses \(algorithm.name)"
        }
        if let use, use != "enc" { return "its \"use\" is \"\(use)\", not \"enc\"" }
        if let keyOperations, !keyOperations.contains("decrypt"), !keyOperations.contains("unwrapKey") {
            return "its \"key_ops\" \(keyOperations) include neither \"decrypt\" nor \"unwrapKey\""
        }
        guard key.isPrivate else { return "it is a public key and cannot decrypt" }
        let secretLength = key.secretBytes?.count
        switch algorithm.family {
        case .rsaPKCS1, .rsaOAEP:
            guard key.keyType == .rsa else { return "\(algorithm.name) needs an RSA key" }
        case .aesKeyWrap, .aesGCMKeyWrap:
            guard secretLength == algorithm.keyWrapByteCount else {
                return "\(algorithm.name) needs an oct key of exactly \(algorithm.keyWrapByteCount ?? 0) bytes"
            }
        case .direct:
            guard secretLength == encryption.keyByteCount else {
                return "dir with \(encryption.name) needs an oct key of exactly \(encryption.keyByteCount) bytes"
            }
        case .ecdhES, .ecdhESKeyWrap:
            guard let curve = key.curve else { return "\(algorithm.name) needs an EC or X25519 key" }
            guard curve == ephemeralCurve else {
                return "the ephemeral key is not on the key's curve \(curve.name)"
            }
        case .pbes2:
            guard secretLength != nil else { return "\(algorithm.name) needs an oct key (the password)" }
        }
        return nil
    }
}
