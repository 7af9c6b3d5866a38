public import PortcullisJOSE

extension CryptoKey {
    /// Generates a new key.
    /// - Throws: `invalid_key` for a spec outside what this library accepts (RSA below 2048 or
    ///   above 16384 bits, a curve that does not fit the key type, an HMAC secret below 32
    ///   bytes or above 1024); `crypto_failure` when OpenSSL fails.
    public static func generate(_ spec: KeySpec) throws(PortcullisError) -> CryptoKey {
        let key: EVPKey
        switch spec {
        case .rsa(let bits):
            guard bits >= RSAKeyRules.minimumBits, bits <= RSAKeyRules.maximumBits else {
                throw PortcullisError(
                    .invalidKey, "RSA keys must have \(RSAKeyRules.minimumBits)…\(RSAKeyRules.maximumBits) bits, not \(bits)")
            }
            key = try EVPKey.generate(algorithm: "RSA", rsaBits: bits)
        case .ec(let curve):
            guard !curve.isOctetKeyPair else {
                throw PortcullisError(.invalidKey, "\(curve.name) is not an EC curve; use .okp(\(curve.name))")
            }
            key = try EVPKey.generate(algorithm: "EC", group: curve.name)
        case .okp(let curve):
            switch curve {
            case .ed25519: key = try EVPKey.generate(algorithm: "ED25519")
            case .ed448: key = try EVPKey.generate(algorithm: "ED448")
            default: throw PortcullisError(.invalidKey, "\(curve.name) is not an OKP curve; use .ec(\(curve.name))")
            }
        case .hmac(let byteCount):
            guard byteCount >= 32, byteCount <= 1024 else {
                throw PortcullisError(.invalidKey, "HMAC secrets must have 32…1024 bytes, not \(byteCount)")
            }
            return try CryptoKey(hmacSecret: try SecureRandom.bytes(byteCount))
        }
        return CryptoKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: true)))
    }

    /// Generates a key suited to `algorithm`: a secret as long as the hash for HS256/384/512,
    /// RSA 2048 for RS*/PS*, the algorithm's curve for ES*, and Ed25519 for EdDSA.
    public static func generate(for algorithm: JWSAlgorithm) throws(PortcullisError) -> CryptoKey {
        switch algorithm.family {
        case .hmac: try generate(.hmac(byteCount: algorithm.digest?.byteCount ?? 64))
        case .rsaPKCS1, .rsaPSS: try generate(.rsa(bits: 2048))
        case .ecdsa: try generate(.ec(algorithm.curve ?? .p256))
        case .eddsa: try generate(.okp(.ed25519))
        }
    }
}
