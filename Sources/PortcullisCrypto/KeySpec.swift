public import PortcullisJOSE

/// What ``CryptoKey/generate(_:)`` makes.
public enum KeySpec: Sendable, Hashable {
    /// An RSA key pair with a modulus of `bits` bits (2048…16384) and exponent 65537.
    case rsa(bits: Int = 2048)
    /// An EC key pair on P-256, P-384 or P-521.
    case ec(JWKCurve)
    /// An OKP key pair on Ed25519 or Ed448 (RFC 8037).
    case okp(JWKCurve)
    /// A random HMAC secret of `byteCount` bytes (at least 32, RFC 7518 §3.2).
    case hmac(byteCount: Int)
}
