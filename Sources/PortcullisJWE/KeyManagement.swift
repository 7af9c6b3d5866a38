import PortcullisJOSE
import PortcullisCrypto

/// The key management modes of RFC 7518 §4: how the content encryption key (CEK) is recovered
/// on decryption and produced on encryption.
enum KeyManagement {
    /// The header parameters an algorithm needs, checked before any key is touched.
    struct Parameters {
        var ephemeralKey: EncryptionKey?
        var partyUInfo: [UInt8] = []
        var partyVInfo: [UInt8] = []
        var keyWrapIV: [UInt8] = []
        var keyWrapTag: [UInt8] = []
        var salt: [UInt8] = []
        var count = 0

        /// No parameters (for encryption, where they are produced rather than read).
        init() {}

        /// Checks that the header carries what `algorithm` needs, in the right shape.
        /// - Throws: `malformed` for missing or misshapen parameters (including a `p2c` above
        ///   `maximumPBES2Count`); `invalid_key` for an ephemeral key that is not a valid point
        ///   on a supported curve (invalid-curve attacks are stopped here, before any agreement).
        init(header: JWEHeader, algorithm: JWEAlgorithm, encryptedKey: [UInt8], maximumPBES2Count: Int) throws(PortcullisError) {
            switch algorithm.family {
            case .direct, .ecdhES:
                guard encryptedKey.isEmpty else {
                    throw PortcullisError(
                        .malformed, "with \(algorithm.name) the JWE Encrypted Key must be empty (RFC 7516 §5.2 step 10)",
                        algorithm: algorithm.name)
                }
            default:
                break
            }
            switch algorithm.family {
            case .ecdhES, .ecdhESKeyWrap:
                guard let epk = header.ephemeralPublicKey else {
                    throw PortcullisError(.malformed, "\(algorithm.name) needs an \"epk\" header parameter (RFC 7518 §4.6.1.1)", claim: "epk")
                }
                ephemeralKey = try Self.importEphemeral(epk)
                partyUInfo = header.agreementPartyUInfo ?? []
                partyVInfo = header.agreementPartyVInfo ?? []
            case .aesGCMKeyWrap:
                guard let iv = header.keyWrapIV, iv.count == 12 else {
                    throw PortcullisError(.malformed, "\(algorithm.name) needs a 96-bit \"iv\" header parameter (RFC 7518 §4.7.1.1)", claim: "iv")
                }
                guard let tag = header.keyWrapTag else {
                    throw PortcullisError(.malformed, "\(algorithm.name) needs a \"tag\" header parameter (RFC 7518 §4.7.1.2)", claim: "tag")
                }
                keyWrapIV = iv
                keyWrapTag = tag
            case .pbes2:
                guard let salt = header.pbes2Salt, salt.count >= 8 else {
                    throw PortcullisError(.malformed, "\(algorithm.name) needs a \"p2s\" salt of at least 8 bytes (RFC 7518 §4.8.1.1)", claim: "p2s")
                }
                guard let count = header.pbes2Count else {
                    throw PortcullisError(.malformed, "\(algorithm.name) needs a \"p2c\" iteration count (RFC 7518 §4.8.1.2)", claim: "p2c")
                }
                guard count <= maximumPBES2Count else {
                    throw PortcullisError(
                        .malformed, "the PBES2 iteration count p2c \(count) is above the maximum of \(maximumPBES2Count)",
                        claim: "p2c", expected: "at most \(maximumPBES2Count)", actual: "\(count)")
                }
                self.salt = Array(algorithm.name.utf8) + [0] + salt
                self.count = count
            case .rsaPKCS1, .rsaOAEP, .aesKeyWrap, .direct:
                break
            }
        }

        /// The ephemeral public key, public members only, validated (on the curve for EC).
        private static func importEphemeral(_ epk: JWK) throws(PortcullisError) -> EncryptionKey {
            do {
                return try EncryptionKey(peerJWK: epk)
            } catch {
                throw PortcullisError(.invalidKey, "the ephemeral key (epk) is invalid: \(error.message)", claim: "epk")
            }
        }
    }

    /// Recovers the CEK; `nil` when unwrapping fails (the caller substitutes a random CEK).
    static func unwrap(
        _ parameters: Parameters, key: EncryptionKey, algorithm: JWEAlgorithm, encryption: JWEEncryption, encryptedKey: [UInt8]
    ) throws(PortcullisError) -> [UInt8]? {
        let secret = key.secretBytes ?? []
        switch algorithm.family {
        case .rsaPKCS1:
            return try key.rsaDecrypt(encryptedKey, padding: .pkcs1)
        case .rsaOAEP:
            return try key.rsaDecrypt(encryptedKey, padding: algorithm.digest == .sha256 ? .oaepSHA256 : .oaepSHA1)
        case .aesKeyWrap:
            return try AES.unwrap(kek: secret, wrapped: encryptedKey)
        case .direct:
            return secret
        case .ecdhES, .ecdhESKeyWrap:
            guard let ephemeral = parameters.ephemeralKey else { return nil }
            let z = try key.sharedSecret(with: ephemeral)
            return try agreedKey(z, parameters: parameters, algorithm: algorithm, encryption: encryption) { kek throws(PortcullisError) in
                try AES.unwrap(kek: kek, wrapped: encryptedKey)
            }
        case .aesGCMKeyWrap:
            return try AES.gcmOpen(key: secret, iv: parameters.keyWrapIV, aad: [], ciphertext: encryptedKey, tag: parameters.keyWrapTag)
        case .pbes2:
            let kek = try PBKDF2.derive(
                password: secret, salt: parameters.salt, iterations: parameters.count,
                digest: algorithm.digest ?? .sha256, length: algorithm.keyWrapByteCount ?? 16)
            return try AES.unwrap(kek: kek, wrapped: encryptedKey)
        }
    }

    /// ECDH-ES: the Concat KDF output is the CEK (direct) or the key-wrapping key (RFC 7518 §4.6.2).
    static func agreedKey(
        _ z: [UInt8], parameters: Parameters, algorithm: JWEAlgorithm, encryption: JWEEncryption,
        wrapping: ([UInt8]) throws(PortcullisError) -> [UInt8]?
    ) throws(PortcullisError) -> [UInt8]? {
        if algorithm.family == .ecdhES {
            return ConcatKDF.derive(
                sharedSecret: z, keyBitCount: encryption.keyByteCount * 8, algorithmID: encryption.name,
                partyUInfo: parameters.partyUInfo, partyVInfo: parameters.partyVInfo)
        }
        let kek = ConcatKDF.derive(
            sharedSecret: z, keyBitCount: (algorithm.keyWrapByteCount ?? 16) * 8, algorithmID: algorithm.name,
            partyUInfo: parameters.partyUInfo, partyVInfo: parameters.partyVInfo)
        return try wrapping(kek)
    }
}
