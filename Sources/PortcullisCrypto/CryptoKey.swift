public import PortcullisJOSE

/// A key for JWS signatures: an HMAC secret, or an RSA, EC or OKP key, public or private.
///
/// One type for every key, so a JWK Set, a PEM file and a generated key all end up in the same
/// place. Every initialiser validates the material (RFC 7518 §3, §6; RFC 8037 §2): RSA moduli of
/// 2048…16384 bits with a sane exponent, EC points on P-256/P-384/P-521, Ed25519/Ed448 only,
/// HMAC secrets of at least 256 bits, and a pairwise consistency check for private keys.
/// Unacceptable material throws `invalid_key`; undecodable input throws `malformed`.
///
/// A `CryptoKey` is immutable and `Sendable`; verify from as many threads as you like.
///
/// ```swift
/// let key = try CryptoKey(jwk: jwk)
/// try key.checkUsable(with: .es256)
/// let valid = try key.verify(signature: signature, signingInput: input, algorithm: .es256)
/// ```
public struct CryptoKey: Sendable {
    /// The JWK key type (RFC 7518 §6.1, RFC 8037 §2).
    public enum KeyType: Sendable, Hashable {
        /// `oct`: an HMAC secret.
        case octet
        /// `RSA`.
        case rsa
        /// `EC`: P-256, P-384 or P-521.
        case ec
        /// `OKP`: Ed25519 or Ed448.
        case okp
    }

    enum Storage: Sendable {
        case secret(SecretKey)
        case asymmetric(AsymmetricKey)
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// The key type.
    public var keyType: KeyType {
        switch storage {
        case .secret: .octet
        case .asymmetric(let key): key.keyType
        }
    }

    /// The curve of an EC or OKP key; `nil` for RSA and HMAC keys.
    public var curve: JWKCurve? {
        switch storage {
        case .secret: nil
        case .asymmetric(let key): key.curve
        }
    }

    /// The key size in bits: the RSA modulus, the HMAC secret, or the curve size (256, 384 and
    /// 521 for the NIST curves; 256 for Ed25519 and 456 for Ed448, the encoded key sizes).
    public var bitCount: Int {
        switch storage {
        case .secret(let secret): secret.bytes.count * 8
        case .asymmetric(let key): key.bitCount
        }
    }

    /// `true` for HMAC secrets and private asymmetric keys: keys that can sign.
    public var isPrivate: Bool {
        switch storage {
        case .secret: true
        case .asymmetric(let key): key.isPrivate
        }
    }

    /// The public key of a private asymmetric key; the key itself for public keys and for HMAC
    /// secrets (which have no public half).
    public var publicKey: CryptoKey {
        guard case .asymmetric(let key) = storage, let publicHalf = key.publicHalf,
              let derived = try? AsymmetricKey(validating: publicHalf, isPrivate: false)
        else { return self }
        return CryptoKey(storage: .asymmetric(derived))
    }

    /// Creates an HMAC key (RFC 7518 §3.2).
    /// - Throws: `invalid_key` when the secret is shorter than 256 bits (RFC 7518 §3.2: "a key
    ///   of the same size as the hash output … or larger MUST be used"; the smallest is HS256's).
    public init(hmacSecret: [UInt8]) throws(PortcullisError) {
        guard hmacSecret.count >= 32 else {
            throw PortcullisError(
                .invalidKey,
                "HMAC key is \(hmacSecret.count * 8) bits; HMAC keys must be at least 256 bits (RFC 7518 §3.2)")
        }
        storage = .secret(SecretKey(bytes: hmacSecret))
    }
}

/// An HMAC secret and its pooled contexts.
final class SecretKey: Sendable {
    let bytes: [UInt8]
    let backend: HMACBackend

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.backend = HMACBackend(secret: bytes)
    }
}
