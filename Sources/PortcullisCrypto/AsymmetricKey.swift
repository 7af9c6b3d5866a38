internal import CPortcullisOpenSSL
import PortcullisJOSE
import Synchronization

/// An RSA, EC or OKP key that passed validation, with pools of prepared verifiers.
///
/// Validation is the same whatever the source (JWK, PEM, DER, generation): RSA modulus
/// 2048…16384 bits with an odd exponent 3…2⁶⁴−1; EC only on P-256/P-384/P-521 with a point that
/// passes `EVP_PKEY_public_check`; OKP only Ed25519/Ed448; private keys pass a pairwise check.
final class AsymmetricKey: Sendable {
    let key: EVPKey
    /// The public half, when `key` is private.
    let publicHalf: EVPKey?
    let keyType: CryptoKey.KeyType
    let curve: JWKCurve?
    let bitCount: Int
    let isPrivate: Bool
    /// Whether the RSA key carries its CRT parameters (keys imported from a JWK with only `d`
    /// do not).
    let hasCRT: Bool
    /// Idle verifiers per scheme (see ``slot(for:)``).
    private let idle: Mutex<[[PreparedVerifier]]>
    private static let poolCapacity = 16

    init(validating key: EVPKey, isPrivate: Bool) throws(PortcullisError) {
        self.key = key
        self.isPrivate = isPrivate
        self.idle = Mutex(Array(repeating: [], count: 8))
        switch key.kind {
        case .rsa:
            guard let n = key.integer(CPortcullisOpenSSL_KeyParameter_rsaN),
                  let e = key.integer(CPortcullisOpenSSL_KeyParameter_rsaE)
            else { throw PortcullisError(.invalidKey, "the RSA key has no modulus or exponent") }
            try RSAKeyRules.check(modulus: n, exponent: e)
            keyType = .rsa
            curve = nil
            bitCount = RSAKeyRules.bitLength(n)
            hasCRT = !isPrivate || key.integer(CPortcullisOpenSSL_KeyParameter_rsaP) != nil
        case .rsaPSS:
            throw PortcullisError(
                .invalidKey, "RSA-PSS-restricted keys (id-RSASSA-PSS) are not supported; use an rsaEncryption key")
        case .ec:
            guard let curve = key.groupName.flatMap(Self.curve(forGroup:)) else {
                throw PortcullisError(
                    .invalidKey, "unsupported EC curve \(key.groupName ?? "with explicit parameters"); use P-256, P-384 or P-521")
            }
            guard try key.passesPublicCheck() else {
                throw PortcullisError(.invalidKey, "the EC public key is not a valid point on \(curve.name)")
            }
            keyType = .ec
            self.curve = curve
            bitCount = curve == .p521 ? 521 : curve.coordinateByteCount * 8
            hasCRT = false
        case .ed25519, .ed448:
            let curve: JWKCurve = key.kind == .ed25519 ? .ed25519 : .ed448
            keyType = .okp
            self.curve = curve
            bitCount = curve.coordinateByteCount * 8
            hasCRT = false
        case .x25519, .x448:
            throw PortcullisError(
                .invalidKey,
                "\(key.kind == .x25519 ? "X25519" : "X448") is a key-agreement (ECDH) key, not a signature key")
        case .other:
            throw PortcullisError(.invalidKey, "unsupported key type; expected RSA, EC (P-256/384/521) or Ed25519/Ed448")
        }
        if isPrivate {
            publicHalf = try key.publicOnly()
        } else {
            publicHalf = nil
        }
        if isPrivate {
            try checkPairwise()
        }
    }

    /// The private and public halves belong together. RSA keys without CRT parameters (and
    /// every key OpenSSL cannot check pairwise) are checked by a signature round trip.
    private func checkPairwise() throws(PortcullisError) {
        let consistent: Bool
        switch keyType {
        case .rsa where !hasCRT:
            consistent = try selfTest(.rsaPKCS1(.sha256))
        case .rsa, .ec:
            consistent = try key.passesPairwiseCheck()
        case .okp:
            // OpenSSL derives an OKP public key from the private key on every import path; the
            // JWK path compares the derived key with `x` itself.
            consistent = true
        case .octet:
            consistent = true
        }
        guard consistent else {
            throw PortcullisError(.invalidKey, "the private key does not match its public key")
        }
    }

    private func selfTest(_ scheme: SignatureScheme) throws(PortcullisError) -> Bool {
        let message = Array("portcullis pairwise consistency check".utf8)
        guard let signature = try? key.sign(message, scheme: scheme) else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return try (publicHalf ?? key).makeVerifier(scheme).verify(signature: signature, input: message)
    }

    /// The JWK curve of an OpenSSL group name.
    static func curve(forGroup name: String) -> JWKCurve? {
        switch name {
        case "prime256v1", "secp256r1", "P-256": .p256
        case "secp384r1", "P-384": .p384
        case "secp521r1", "P-521": .p521
        default: nil
        }
    }

    // MARK: Verification

    /// Verifies with a pooled, prepared verifier for `scheme`.
    func verify(
        signature: some Collection<UInt8>,
        input: some Collection<UInt8>,
        scheme: SignatureScheme
    ) throws(PortcullisError) -> Bool {
        let slot = Self.slot(for: scheme)
        let verifier: PreparedVerifier
        if let reused = idle.withLock({ $0[slot].popLast() }) {
            verifier = reused
        } else {
            verifier = try key.makeVerifier(scheme)
        }
        // A verifier that threw is dropped, not returned to the pool.
        let valid = try verifier.verify(signature: signature, input: input)
        idle.withLock { pools in
            if pools[slot].count < Self.poolCapacity { pools[slot].append(verifier) }
        }
        return valid
    }

    private static func slot(for scheme: SignatureScheme) -> Int {
        switch scheme {
        case .rsaPKCS1(let digest): index(digest)
        case .rsaPSS(let digest): 3 + index(digest)
        case .ecdsa: 6
        case .eddsa: 7
        }
    }

    private static func index(_ digest: JWSAlgorithm.Digest) -> Int {
        switch digest {
        case .sha256: 0
        case .sha384: 1
        case .sha512: 2
        }
    }
}

/// RSA key acceptance rules shared by every import path.
enum RSAKeyRules {
    static let minimumBits = 2048
    static let maximumBits = 16384

    /// Throws `invalid_key` unless the modulus is odd and 2048…16384 bits and the exponent is
    /// odd, at least 3 and at most 64 bits.
    static func check(modulus n: [UInt8], exponent e: [UInt8]) throws(PortcullisError) {
        let bits = bitLength(n)
        guard bits >= minimumBits else {
            throw PortcullisError(.invalidKey, "RSA key is \(bits) bits; at least \(minimumBits) are required (RFC 7518 §3.3)")
        }
        guard bits <= maximumBits else {
            throw PortcullisError(.invalidKey, "RSA key is \(bits) bits; at most \(maximumBits) are supported")
        }
        guard let last = n.last, last & 1 == 1 else {
            throw PortcullisError(.invalidKey, "RSA modulus is even")
        }
        let exponentBits = bitLength(e)
        guard exponentBits <= 64 else {
            throw PortcullisError(.invalidKey, "RSA public exponent is \(exponentBits) bits; at most 64 are supported")
        }
        guard exponentBits >= 2, let low = e.last, low & 1 == 1 else {
            throw PortcullisError(.invalidKey, "RSA public exponent must be odd and at least 3")
        }
    }

    /// The bit length of a big-endian unsigned integer.
    static func bitLength(_ bytes: [UInt8]) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bytes.count - first - 1) * 8 + (8 - bytes[first].leadingZeroBitCount)
    }
}
