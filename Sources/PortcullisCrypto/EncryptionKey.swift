internal import CPortcullisOpenSSL
public import PortcullisJOSE

/// A key for JWE key management (RFC 7518 §4): a symmetric secret (AES key wrap, AES-GCM key
/// wrap, direct encryption, PBES2 passwords), an RSA key (RSA-OAEP), or a key-agreement key on
/// P-256, P-384, P-521 (ECDH-ES) or X25519 (RFC 8037 §3.2).
///
/// Separate from ``CryptoKey`` (signature keys) on purpose: the two are chosen from different
/// parts of a JWK Set (`use: enc` versus `use: sig`), have different size rules (a 128-bit AES
/// key is fine here, never for HMAC) and X25519 exists only here. Validation matches
/// ``CryptoKey``'s: RSA 2048…16384 bits without the ROCA fingerprint, EC points on their curve,
/// pairwise checks for private keys.
public struct EncryptionKey: Sendable {
    /// The JWK key type.
    public enum KeyType: Sendable, Hashable {
        /// `oct`: a secret.
        case octet
        /// `RSA`.
        case rsa
        /// `EC`: P-256, P-384 or P-521.
        case ec
        /// `OKP`: X25519.
        case okp
    }

    /// A key-agreement curve (RFC 7518 §6.2.1.1, RFC 8037 §2).
    public enum Curve: String, Sendable, Hashable, CaseIterable {
        /// NIST P-256.
        case p256 = "P-256"
        /// NIST P-384.
        case p384 = "P-384"
        /// NIST P-521.
        case p521 = "P-521"
        /// X25519 (RFC 7748).
        case x25519 = "X25519"

        /// The registered `crv` name.
        public var name: String { rawValue }
    }

    enum Storage: Sendable {
        case secret([UInt8])
        case asymmetric(AsymmetricKey)
        case x25519(X25519Key)
        /// A peer's EC public key (a JWE `epk`), validated on import (``init(peerJWK:)``).
        case peer(EVPKey, Curve)
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// The key type.
    public var keyType: KeyType {
        switch storage {
        case .secret: .octet
        case .asymmetric(let key): key.keyType == .rsa ? .rsa : .ec
        case .x25519: .okp
        case .peer: .ec
        }
    }

    /// The curve of an EC or X25519 key; `nil` for RSA and secrets.
    public var curve: Curve? {
        switch storage {
        case .secret: nil
        case .asymmetric(let key): key.curve.flatMap { Curve(rawValue: $0.name) }
        case .x25519: .x25519
        case .peer(_, let curve): curve
        }
    }

    /// The size in bits: the secret, the RSA modulus, or the curve size (256 for X25519).
    public var bitCount: Int {
        switch storage {
        case .secret(let bytes): bytes.count * 8
        case .asymmetric(let key): key.bitCount
        case .x25519: 256
        case .peer(_, let curve): curve == .p521 ? 521 : curve == .p384 ? 384 : 256
        }
    }

    /// `true` for secrets and private asymmetric keys: keys that can decrypt.
    public var isPrivate: Bool {
        switch storage {
        case .secret: true
        case .asymmetric(let key): key.isPrivate
        case .x25519(let key): key.isPrivate
        case .peer: false
        }
    }

    /// The public key of a private asymmetric key; the key itself otherwise.
    public var publicKey: EncryptionKey {
        switch storage {
        case .secret, .peer: return self
        case .asymmetric(let key):
            guard let half = key.publicHalf, let derived = try? AsymmetricKey(validating: half, isPrivate: false) else {
                return self
            }
            return EncryptionKey(storage: .asymmetric(derived))
        case .x25519(let key):
            guard key.isPrivate, let derived = try? X25519Key(publicKey: key.publicBytes) else { return self }
            return EncryptionKey(storage: .x25519(derived))
        }
    }

    /// A symmetric key: an AES key (16, 24 or 32 bytes), a direct-encryption CEK (16…64 bytes) or
    /// a PBES2 password (any length). Lengths are checked against the algorithm when the key is used.
    /// - Throws: `invalid_key` for an empty secret or one above 8192 bytes.
    public init(secret: [UInt8]) throws(PortcullisError) {
        guard !secret.isEmpty, secret.count <= 8192 else {
            throw PortcullisError(.invalidKey, "a symmetric key must have 1…8192 bytes, not \(secret.count)")
        }
        storage = .secret(secret)
    }

    /// The secret of an `oct` key, for the JWE layer.
    package var secretBytes: [UInt8]? {
        if case .secret(let bytes) = storage { bytes } else { nil }
    }
}

/// An X25519 key (RFC 7748, RFC 8037 §3.2).
final class X25519Key: Sendable {
    let key: EVPKey
    let isPrivate: Bool
    let publicBytes: [UInt8]

    /// A public key from its 32 bytes.
    init(publicKey: [UInt8]) throws(PortcullisError) {
        guard publicKey.count == 32 else {
            throw PortcullisError(.invalidKey, "an X25519 public key is 32 bytes, not \(publicKey.count) (RFC 8037 §2)")
        }
        key = try EVPKey.fromParameters(
            algorithm: "X25519", includesPrivate: false, [.octets(CPortcullisOpenSSL_KeyParameter_publicKey, publicKey)])
        isPrivate = false
        publicBytes = publicKey
    }

    /// A private key from its 32 bytes; `expectedPublicKey`, when given, must match the derived one.
    init(privateKey: [UInt8], expectedPublicKey: [UInt8]?) throws(PortcullisError) {
        guard privateKey.count == 32 else {
            throw PortcullisError(.invalidKey, "an X25519 private key is 32 bytes, not \(privateKey.count) (RFC 8037 §2)")
        }
        key = try EVPKey.fromParameters(
            algorithm: "X25519", includesPrivate: true, [.octets(CPortcullisOpenSSL_KeyParameter_privateKey, privateKey)])
        guard let derived = key.octets(CPortcullisOpenSSL_KeyParameter_publicKey) else {
            throw PortcullisError(.cryptoFailure, "OpenSSL did not derive the X25519 public key")
        }
        if let expectedPublicKey, expectedPublicKey != derived {
            throw PortcullisError(.invalidKey, "the X25519 private key \"d\" does not match \"x\"")
        }
        isPrivate = true
        publicBytes = derived
    }

    /// Wraps a generated key.
    init(generated key: EVPKey) throws(PortcullisError) {
        guard let derived = key.octets(CPortcullisOpenSSL_KeyParameter_publicKey) else {
            throw PortcullisError(.cryptoFailure, "OpenSSL did not export the X25519 public key")
        }
        self.key = key
        isPrivate = true
        publicBytes = derived
    }
}
