public import PortcullisJOSE

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`).
public enum SecureRandom {
    /// `count` random bytes.
    /// - Throws: `malformed` for a negative count; `crypto_failure` when the generator fails.
    public static func bytes(_ count: Int) throws(PortcullisError) -> [UInt8] {
        guard count >= 0 else { throw PortcullisError(.malformed, "a byte count cannot be negative") }
        return try RandomBackend.bytes(count)
    }
}

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// `true` when `a` and `b` hold the same bytes. Compares in constant time for equal lengths
    /// (`CRYPTO_memcmp`); inputs of different lengths are unequal (the length is not secret).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return RandomBackend.constantTimeEquals(a, b)
    }
}
