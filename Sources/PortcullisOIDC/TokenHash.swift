public import PortcullisJOSE
import PortcullisCrypto

/// `at_hash` and `c_hash` (OpenID Connect Core 1.0 §3.1.3.6, §3.3.2.11): the base64url encoding
/// of the left-most half of the hash of the ASCII octets of the access token or code.
///
/// The hash is the one of the ID token's `alg`: SHA-256 for `*256`, SHA-384 for `*384`, SHA-512
/// for `*512`. For `EdDSA`, whose name carries no hash, Portcullis follows the common practice
/// recorded in the OpenID Connect Core errata discussion and implemented by the major libraries:
/// **SHA-512 for Ed25519** (the hash inside Ed25519). Ed448 would need SHAKE256 (114 bytes), which
/// this library does not implement: such a token's `at_hash`/`c_hash` is refused, never skipped.
public enum TokenHash {
    /// The `at_hash`/`c_hash` value of `value` for a token signed with `algorithm`.
    /// - Parameters:
    ///   - curve: For `EdDSA`, the signing key's curve (Ed25519 or Ed448); ignored otherwise.
    /// - Throws: `unsupported_algorithm` for HMAC-free cases this library cannot hash (Ed448).
    public static func leftHalf(of value: String, algorithm: JWSAlgorithm, curve: JWKCurve?) throws(PortcullisError) -> String {
        let digest: [UInt8]
        switch algorithm.digest {
        case .sha256: digest = Digests.sha256(Array(value.utf8))
        case .sha384: digest = Digests.sha384(Array(value.utf8))
        case .sha512: digest = Digests.sha512(Array(value.utf8))
        case nil:
            guard algorithm == .eddsa, curve == .ed25519 else {
                throw PortcullisError(
                    .unsupportedAlgorithm,
                    "at_hash/c_hash for \(algorithm.name) with \(curve?.name ?? "an unknown curve") is not supported (Ed448 needs SHAKE256)",
                    algorithm: algorithm.name)
            }
            digest = Digests.sha512(Array(value.utf8))
        }
        return Base64URL.encode(digest.prefix(digest.count / 2))
    }

    /// Checks a hash claim in constant time.
    /// - Throws: `invalid_claim` when `claimed` is not the hash of `value`.
    public static func check(
        _ claimed: String, claim: String, of value: String, algorithm: JWSAlgorithm, curve: JWKCurve?
    ) throws(PortcullisError) {
        let expected = try leftHalf(of: value, algorithm: algorithm, curve: curve)
        guard ConstantTime.equals(Array(expected.utf8), Array(claimed.utf8)) else {
            let what = claim == "c_hash" ? "authorization code" : "access token"
            throw PortcullisError(
                .invalidClaim, "\"\(claim)\" does not match the \(what) (OpenID Connect Core §3.1.3.8, §3.3.2.11)",
                claim: claim)
        }
    }

    /// The EdDSA curve of a verified compact JWS, from its signature length: Ed25519 signatures are
    /// 64 bytes, Ed448 ones 114 (RFC 8032 §5.1.6, §5.2.6). `nil` for other algorithms.
    static func edDSACurve(ofCompact token: some StringProtocol, algorithm: JWSAlgorithm) -> JWKCurve? {
        guard algorithm == .eddsa, let dot = token.lastIndex(of: ".") else { return nil }
        let encoded = token.utf8.count - token[...dot].utf8.count
        switch encoded * 3 / 4 {
        case 64: return .ed25519
        case 114: return .ed448
        default: return nil
        }
    }
}
