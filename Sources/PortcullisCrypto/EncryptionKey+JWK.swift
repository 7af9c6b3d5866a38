internal import CPortcullisOpenSSL
public import PortcullisJOSE

extension EncryptionKey {
    /// Creates a key from a JWK: `oct` (`k`), `RSA`, `EC` on P-256/P-384/P-521, or `OKP` on
    /// X25519 (RFC 8037 §2). The metadata members (`kid`, `use`, `alg`, `key_ops`) are not looked
    /// at here; the decryption key set applies them.
    /// - Throws: `malformed` when a required member is missing; `invalid_key` for unacceptable
    ///   or unsupported material (a signature-only curve such as Ed25519, a short RSA modulus, an
    ///   off-curve point, a private part that does not match the public part).
    public init(jwk: JWK) throws(PortcullisError) {
        switch jwk.keyType {
        case "oct":
            guard let k = jwk.k else { throw PortcullisError(.malformed, "oct JWK has no \"k\" member") }
            try self.init(secret: k)
        case "RSA", "EC":
            if jwk.keyType == "EC", let name = jwk.curve, Curve(rawValue: name) == nil {
                throw PortcullisError(.invalidKey, "unsupported EC curve \"\(name)\"; use P-256, P-384 or P-521")
            }
            // The signature-key import applies every structural and strength rule; an RSA or
            // EC key is the same key whichever way it is used.
            let key = try CryptoKey(jwk: jwk)
            guard case .asymmetric(let asymmetric) = key.storage else {
                throw PortcullisError(.invalidKey, "expected an asymmetric key")
            }
            self.init(storage: .asymmetric(asymmetric))
        case "OKP":
            guard let crv = jwk.curve else { throw PortcullisError(.malformed, "OKP JWK has no \"crv\" member") }
            guard crv == "X25519" else {
                throw PortcullisError(
                    .invalidKey, "OKP curve \"\(crv)\" is not supported for encryption; use X25519 (RFC 8037 §3.2)")
            }
            guard let x = jwk.x else { throw PortcullisError(.malformed, "OKP JWK has no \"x\" member") }
            if let d = jwk.d {
                self.init(storage: .x25519(try X25519Key(privateKey: d, expectedPublicKey: x)))
            } else {
                self.init(storage: .x25519(try X25519Key(publicKey: x)))
            }
        default:
            throw PortcullisError(.invalidKey, "unsupported JWK key type \"\(jwk.keyType)\"")
        }
    }

    /// A peer's public key for key agreement (a JWE `epk`, RFC 7518 §4.6.1.1): EC on P-256,
    /// P-384 or P-521, or OKP X25519; only the public members are read. An EC point must lie on
    /// the curve and not be the point at infinity (checked here, before any agreement, against
    /// invalid-curve attacks; the NIST curves have cofactor 1, so that is a full validation).
    /// - Throws: `invalid_key` for anything else.
    package init(peerJWK jwk: JWK) throws(PortcullisError) {
        switch (jwk.keyType, jwk.curve.flatMap(Curve.init(rawValue:))) {
        case ("OKP", .x25519?):
            guard let x = jwk.x else { throw PortcullisError(.invalidKey, "the X25519 key has no \"x\"") }
            self.init(storage: .x25519(try X25519Key(publicKey: x)))
        case ("EC", let curve?) where curve != .x25519:
            let size = curve == .p521 ? 66 : curve == .p384 ? 48 : 32
            guard let x = jwk.x, let y = jwk.y, x.count == size, y.count == size else {
                throw PortcullisError(.invalidKey, "EC \(curve.name) coordinates must be exactly \(size) bytes each (RFC 7518 §6.2.1.2)")
            }
            let key: EVPKey
            do {
                key = try EVPKey.fromParameters(algorithm: "EC", includesPrivate: false, [
                    .text(CPortcullisOpenSSL_KeyParameter_groupName, curve.name),
                    .octets(CPortcullisOpenSSL_KeyParameter_publicKey, [0x04] + x + y),
                ])
            } catch {
                throw PortcullisError(.invalidKey, "the point is not on \(curve.name)")
            }
            guard try key.passesQuickPublicCheck() else {
                throw PortcullisError(.invalidKey, "the point is not a valid public key on \(curve.name)")
            }
            self.init(storage: .peer(key, curve))
        default:
            throw PortcullisError(
                .invalidKey, "a key-agreement public key must be EC P-256/P-384/P-521 or OKP X25519, not \(jwk.keyType) \(jwk.curve ?? "")")
        }
    }

    /// An X25519 private key from its 32 raw bytes (RFC 7748 §5), the public key derived.
    package init(x25519PrivateKey: [UInt8]) throws(PortcullisError) {
        self.init(storage: .x25519(try X25519Key(privateKey: x25519PrivateKey, expectedPublicKey: nil)))
    }

    /// The key as a JWK with `kty`, `crv` and the key parameters (no `kid`, `use` or `alg`).
    /// - Parameter includingPrivate: include `d` (and RSA CRT values) or an `oct` key's `k`.
    /// - Throws: `invalid_key` for a secret without `includingPrivate`.
    public func jwk(includingPrivate: Bool = false) throws(PortcullisError) -> JWK {
        switch storage {
        case .secret(let bytes):
            guard includingPrivate else {
                throw PortcullisError(.invalidKey, "a symmetric key has no public JWK; pass includingPrivate: true")
            }
            return JWK(keyType: "oct", k: bytes)
        case .asymmetric(let key):
            return try key.jwk(includingPrivate: includingPrivate && key.isPrivate)
        case .peer(let key, let curve):
            let size = curve == .p521 ? 66 : curve == .p384 ? 48 : 32
            guard let point = key.octets(CPortcullisOpenSSL_KeyParameter_publicKey), point.count == 1 + 2 * size else {
                throw PortcullisError(.cryptoFailure, "OpenSSL did not export the EC point")
            }
            return JWK(keyType: "EC", curve: curve.name, x: Array(point[1...size]), y: Array(point[(1 + size)...]))
        case .x25519(let key):
            var jwk = JWK(keyType: "OKP", curve: "X25519", x: key.publicBytes)
            if includingPrivate && key.isPrivate {
                guard let d = key.key.octets(CPortcullisOpenSSL_KeyParameter_privateKey) else {
                    throw PortcullisError(.cryptoFailure, "OpenSSL did not export the X25519 private key")
                }
                jwk.d = d
            }
            return jwk
        }
    }

    /// Generates a key.
    /// - Throws: `invalid_key` for RSA sizes outside 2048…16384 bits or secrets outside 1…8192
    ///   bytes; `crypto_failure` when OpenSSL fails.
    public static func generate(_ spec: EncryptionKeySpec) throws(PortcullisError) -> EncryptionKey {
        switch spec {
        case .rsa(let bits):
            guard bits >= RSAKeyRules.minimumBits, bits <= RSAKeyRules.maximumBits else {
                throw PortcullisError(
                    .invalidKey, "RSA keys must have \(RSAKeyRules.minimumBits)…\(RSAKeyRules.maximumBits) bits, not \(bits)")
            }
            let key = try EVPKey.generate(algorithm: "RSA", rsaBits: bits)
            return EncryptionKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: true)))
        case .agreement(.x25519):
            return EncryptionKey(storage: .x25519(try X25519Key(generated: try EVPKey.generate(algorithm: "X25519"))))
        case .agreement(let curve):
            let key = try EVPKey.generate(algorithm: "EC", group: curve.name)
            return EncryptionKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: true)))
        case .secret(let byteCount):
            return try EncryptionKey(secret: try SecureRandom.bytes(byteCount))
        }
    }

    // MARK: Operations for the JWE layer

    /// RSA-encrypts a content encryption key to this key's public half.
    package func rsaEncrypt(_ cek: [UInt8], padding: RSAEncryptionPadding) throws(PortcullisError) -> [UInt8] {
        guard case .asymmetric(let key) = storage, key.keyType == .rsa else {
            throw PortcullisError(.invalidKey, "RSA encryption needs an RSA key")
        }
        return try key.key.rsaEncrypt(cek, padding: padding)
    }

    /// RSA-decrypts an encrypted key; `nil` on any failure, for whatever reason.
    package func rsaDecrypt(_ encryptedKey: [UInt8], padding: RSAEncryptionPadding) throws(PortcullisError) -> [UInt8]? {
        guard case .asymmetric(let key) = storage, key.keyType == .rsa, key.isPrivate else {
            throw PortcullisError(.invalidKey, "RSA decryption needs a private RSA key")
        }
        return try key.key.rsaDecrypt(encryptedKey, padding: padding)
    }

    /// The raw ECDH / X25519 shared secret `Z` of this private key with `peer`'s public key.
    /// - Throws: `invalid_key` when the curves differ or agreement fails.
    package func sharedSecret(with peer: EncryptionKey) throws(PortcullisError) -> [UInt8] {
        guard isPrivate, let curve, curve == peer.curve else {
            throw PortcullisError(.invalidKey, "key agreement needs a private key and a public key on the same curve")
        }
        switch (storage, peer.storage) {
        case (.asymmetric(let mine), .peer(let theirs, _)):
            // Validated on import (init(peerJWK:)); OpenSSL's full check would repeat it at the
            // cost of a scalar multiplication.
            return try mine.key.deriveSharedSecret(with: theirs, validatePeer: false)
        case (.asymmetric(let mine), .asymmetric(let theirs)):
            return try mine.key.deriveSharedSecret(with: theirs.key)
        case (.x25519(let mine), .x25519(let theirs)):
            return try mine.key.deriveSharedSecret(with: theirs.key)
        default:
            throw PortcullisError(.invalidKey, "key agreement needs two keys of the same type")
        }
    }
}

/// What ``EncryptionKey/generate(_:)`` makes.
public enum EncryptionKeySpec: Sendable, Hashable {
    /// An RSA key pair (RSA-OAEP), `bits` 2048…16384.
    case rsa(bits: Int = 2048)
    /// A key-agreement key pair (ECDH-ES) on P-256, P-384, P-521 or X25519.
    case agreement(EncryptionKey.Curve)
    /// A random secret of `byteCount` bytes (AES key wrap, direct encryption).
    case secret(byteCount: Int)
}
