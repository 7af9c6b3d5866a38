internal import CPortcullisOpenSSL
import PortcullisJOSE

/// `RAND_bytes` and `CRYPTO_memcmp`.
enum RandomBackend {
    static func bytes(_ count: Int) throws(PortcullisError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= Int(Int32.max) else { throw PortcullisError(.malformed, "too many random bytes requested") }
        var output = [UInt8](repeating: 0, count: count)
        guard unsafe RAND_bytes(&output, Int32(count)) == 1 else { throw .backend("RAND_bytes failed") }
        return output
    }

    /// Equal-length comparison with `CRYPTO_memcmp`.
    static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return unsafe withContiguousBytes(a) { left in
            unsafe withContiguousBytes(b) { right in
                unsafe CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
