import PortcullisJOSE

/// SHA-2 digests of byte sequences, for JWK thumbprints (RFC 7638), `at_hash` / `c_hash`
/// (OpenID Connect Core §3.1.3.6) and similar.
public enum Digests {
    /// SHA-256 (FIPS 180-4) of `bytes`: 32 bytes.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        DigestBackend.hash(bytes, digest: .sha256)
    }

    /// SHA-384 (FIPS 180-4) of `bytes`: 48 bytes.
    public static func sha384(_ bytes: some Collection<UInt8>) -> [UInt8] {
        DigestBackend.hash(bytes, digest: .sha384)
    }

    /// SHA-512 (FIPS 180-4) of `bytes`: 64 bytes.
    public static func sha512(_ bytes: some Collection<UInt8>) -> [UInt8] {
        DigestBackend.hash(bytes, digest: .sha512)
    }
}
