public import PortcullisJOSE
import PortcullisCrypto

/// Decrypts compact JWEs (RFC 7516 §5.2): parse → check `alg`, `enc`, `crit`, `zip` → check
/// the key-management parameters → choose the key → recover the CEK → verify the tag and
/// decrypt → inflate.
///
/// ```swift
/// let keys = try DecryptionKeySet(jwksJSON: Array(privateJWKS))
/// let decrypter = JWEDecrypter(keys: keys, configuration: DecryptionConfiguration(algorithms: [.rsaOAEP256]))
/// let plaintext = try decrypter.decrypt(token).plaintext
/// ```
///
/// Every failure to unwrap the key or to authenticate the content is the same error:
/// `decryption_failed` with ``decryptionFailedMessage``. A failed key unwrap is not even
/// reported at once: a random CEK takes its place and the content decryption runs (and fails)
/// as usual, so errors and timing do not tell an unwrap failure from a tag failure (RFC 3218
/// §2.3.2, RFC 7516 §11.5). All other failures use the codes `malformed`, `token_too_large`,
/// `unsupported_algorithm`, `algorithm_not_allowed`, `unsupported_critical_header`,
/// `key_not_found` and `invalid_key`; they depend only on public information (the header, the
/// sizes and the configured keys).
public struct JWEDecrypter: Sendable {
    /// The one message of every `decryption_failed` error.
    public static let decryptionFailedMessage = "the token could not be decrypted"

    /// The keys to decrypt with.
    public let keys: DecryptionKeySet
    /// The rules.
    public let configuration: DecryptionConfiguration

    /// Creates a decrypter.
    public init(keys: DecryptionKeySet, configuration: DecryptionConfiguration = DecryptionConfiguration()) {
        self.keys = keys
        self.configuration = configuration
    }

    /// Decrypts a compact JWE.
    /// - Returns: The header and the plaintext (inflated when `zip` is `DEF`).
    /// - Throws: `PortcullisError` naming the rule that failed.
    public func decrypt(_ token: String) throws(PortcullisError) -> DecryptedJWE {
        let jwe = try JWECompact.parse(token, maxSize: configuration.maximumTokenSize, jsonLimits: configuration.jsonLimits)
        let header = jwe.header
        let (algorithm, encryption) = try checkAlgorithms(header)
        try header.validateCritical(understood: configuration.understoodCriticalHeaders)
        if let zip = header.compression, zip != "DEF" {
            throw PortcullisError(
                .unsupportedAlgorithm, "compression \"\(zip)\" is not supported; only \"DEF\" is (RFC 7516 §4.1.3)", claim: "zip")
        }
        guard jwe.initializationVector.count == encryption.cipher.ivByteCount else {
            throw PortcullisError(
                .malformed, "\(encryption.name) needs a \(encryption.cipher.ivByteCount * 8)-bit initialization vector",
                claim: "iv", algorithm: encryption.name)
        }
        let parameters = try KeyManagement.Parameters(header: header, algorithm: algorithm, encryptedKey: jwe.encryptedKey,
                                                      maximumPBES2Count: configuration.effectivePBES2Count)
        let key = try keys.resolveKey(
            keyID: header.keyID, algorithm: algorithm, encryption: encryption, ephemeralCurve: parameters.ephemeralKey?.curve)
        // A CEK that cannot be recovered is replaced by a random one; see the type's discussion.
        let recovered = try KeyManagement.unwrap(
            parameters, key: key.key, algorithm: algorithm, encryption: encryption, encryptedKey: jwe.encryptedKey)
        let substitute = try SecureRandom.bytes(encryption.keyByteCount)
        let cek = recovered.flatMap { $0.count == encryption.keyByteCount ? $0 : nil }
        let opened = try encryption.cipher.open(
            key: cek ?? substitute, iv: jwe.initializationVector, aad: jwe.additionalAuthenticatedData,
            ciphertext: jwe.ciphertext, tag: jwe.authenticationTag)
        guard cek != nil, let plaintext = opened else {
            throw PortcullisError(.decryptionFailed, Self.decryptionFailedMessage)
        }
        let content = header.compression == nil
            ? plaintext
            : try Deflate.inflate(plaintext, limit: configuration.maximumDecompressedSize)
        return DecryptedJWE(header: header, plaintext: content, algorithm: algorithm, encryption: encryption, keyID: key.keyID)
    }

    /// Resolves `alg` and `enc` against the implementation and the allow-lists.
    private func checkAlgorithms(_ header: JWEHeader) throws(PortcullisError) -> (JWEAlgorithm, JWEEncryption) {
        guard let algorithm = JWEAlgorithm(name: header.algorithm) else {
            throw PortcullisError(
                .unsupportedAlgorithm, "key management algorithm \"\(header.algorithm)\" is not supported", algorithm: header.algorithm)
        }
        guard configuration.algorithms.contains(algorithm) else {
            let allowed = JWEAlgorithm.all.filter(configuration.algorithms.contains).map(\.name).joined(separator: ", ")
            let hint = algorithm.isUnsafe ? "; it is unsafe and must be allowed explicitly" : ""
            throw PortcullisError(
                .algorithmNotAllowed, "algorithm \(algorithm.name) is not allowed (allowed: \(allowed.isEmpty ? "none" : allowed))\(hint)",
                expected: allowed, actual: algorithm.name, algorithm: algorithm.name)
        }
        guard let encryption = JWEEncryption(name: header.encryption) else {
            throw PortcullisError(
                .unsupportedAlgorithm, "content encryption \"\(header.encryption)\" is not supported", claim: "enc",
                algorithm: header.encryption)
        }
        guard configuration.encryptions.contains(encryption) else {
            let allowed = JWEEncryption.all.filter(configuration.encryptions.contains).map(\.name).joined(separator: ", ")
            throw PortcullisError(
                .algorithmNotAllowed, "content encryption \(encryption.name) is not allowed (allowed: \(allowed.isEmpty ? "none" : allowed))",
                claim: "enc", expected: allowed, actual: encryption.name, algorithm: encryption.name)
        }
        return (algorithm, encryption)
    }
}

/// A decrypted JWE: its header and plaintext.
public struct DecryptedJWE: Sendable {
    /// The protected header.
    public let header: JWEHeader
    /// The plaintext (inflated when the token was compressed).
    public let plaintext: [UInt8]
    /// The key management algorithm.
    public let algorithm: JWEAlgorithm
    /// The content encryption algorithm.
    public let encryption: JWEEncryption
    /// The `kid` of the key that decrypted it, when it has one.
    public let keyID: String?
}
