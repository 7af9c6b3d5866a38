public import PortcullisJOSE
import PortcullisCrypto

/// Proof Key for Code Exchange with the `S256` method (RFC 7636).
public enum PKCE {
    /// A fresh `code_verifier`: 32 bytes from ``SecureRandom``, base64url without padding, 43
    /// characters of the unreserved set (RFC 7636 §4.1 recommends exactly this).
    /// - Throws: `crypto_failure` when the generator fails.
    public static func makeVerifier() throws(PortcullisError) -> String {
        Base64URL.encode(try SecureRandom.bytes(32))
    }

    /// The `S256` `code_challenge`: `BASE64URL(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2).
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Digests.sha256(Array(verifier.utf8)))
    }
}

/// Random, single-use protocol values (`state`, `nonce`, session ids, CSRF tokens).
enum RandomToken {
    /// 32 random bytes, base64url: 256 bits, beyond guessing.
    static func make() throws(PortcullisError) -> String {
        Base64URL.encode(try SecureRandom.bytes(32))
    }
}
