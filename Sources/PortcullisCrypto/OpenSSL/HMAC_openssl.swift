internal import CPortcullisOpenSSL
import PortcullisJOSE
import Synchronization

/// The HMAC implementation, fetched once for the life of the process.
@safe
private final class FetchedMAC: @unchecked Sendable {
    let hmac: OpaquePointer? = unsafe EVP_MAC_fetch(nil, "HMAC", nil)
    // Never freed: the instance lives as long as the process.
}

private let fetchedMAC = FetchedMAC()

/// Owns one `EVP_MAC_CTX`, keyed once. Never used by two threads at once.
@safe
private final class MACContext: @unchecked Sendable {
    fileprivate let pointer: OpaquePointer

    fileprivate init(takingOwnershipOf pointer: OpaquePointer) {
        unsafe self.pointer = pointer
    }

    deinit {
        unsafe EVP_MAC_CTX_free(pointer)
    }
}

/// HMAC with one secret (RFC 7518 §3.2), fast for repeated use: each digest gets a small pool of
/// pre-keyed `EVP_MAC_CTX`s that are re-initialised with `EVP_MAC_init(ctx, NULL, 0, NULL)`,
/// which restores the keyed state without re-hashing the key.
final class HMACBackend: Sendable {
    private let secret: [UInt8]
    /// Idle contexts per digest (index: SHA-256, SHA-384, SHA-512).
    private let idle: Mutex<[[MACContext]]>
    private static let poolCapacity = 16

    init(secret: [UInt8]) {
        self.secret = secret
        self.idle = Mutex([[], [], []])
    }

    /// The tag of `input`.
    func authenticate(_ input: some Collection<UInt8>, digest: JWSAlgorithm.Digest) throws(PortcullisError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: digest.byteCount)
        let ok = try withContext(digest) { context in
            unsafe tag.withUnsafeMutableBytes { out in
                unsafe Self.compute(context, input, into: out) == digest.byteCount
            }
        }
        guard ok else { throw .backend("HMAC failed") }
        return tag
    }

    /// `true` when `tag` is the full-length tag of `input`, compared in constant time.
    func verify(tag: some Collection<UInt8>, input: some Collection<UInt8>, digest: JWSAlgorithm.Digest) throws(PortcullisError) -> Bool {
        guard tag.count == digest.byteCount else { return false }
        let outcome: Int32? = try withContext(digest) { context in
            unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) { out in
                guard unsafe Self.compute(context, input, into: out) == digest.byteCount else { return nil }
                return unsafe withContiguousBytes(tag) { expected in
                    unsafe CRYPTO_memcmp(expected.baseAddress, out.baseAddress, digest.byteCount)
                }
            }
        }
        guard let outcome else { throw .backend("HMAC failed") }
        return outcome == 0
    }

    private static func compute(_ context: MACContext, _ input: some Collection<UInt8>, into out: UnsafeMutableRawBufferPointer) -> Int {
        // A NULL key re-initialises the context with the key it already holds.
        guard unsafe EVP_MAC_init(context.pointer, nil, 0, nil) == 1 else { return -1 }
        let updated = unsafe withContiguousBytes(input) { bytes in
            unsafe EVP_MAC_update(context.pointer, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        guard updated == 1 else { return -1 }
        var length = 0
        guard unsafe EVP_MAC_final(
            context.pointer, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, out.count
        ) == 1 else { return -1 }
        return length
    }

    /// Runs `body` with an idle context for `digest` (made and keyed on demand) and returns it to
    /// the pool afterwards.
    private func withContext<R>(
        _ digest: JWSAlgorithm.Digest,
        _ body: (MACContext) -> R
    ) throws(PortcullisError) -> R {
        let index = Self.index(digest)
        let context: MACContext
        if let reused = idle.withLock({ $0[index].popLast() }) {
            context = reused
        } else {
            context = try makeContext(digest)
        }
        let result = body(context)
        idle.withLock { pools in
            if pools[index].count < Self.poolCapacity { pools[index].append(context) }
        }
        return result
    }

    private func makeContext(_ digest: JWSAlgorithm.Digest) throws(PortcullisError) -> MACContext {
        guard let mac = unsafe fetchedMAC.hmac else {
            throw .backend("HMAC is not available from the OpenSSL default provider")
        }
        guard let pointer = unsafe EVP_MAC_CTX_new(mac) else { throw .backend("EVP_MAC_CTX_new failed") }
        let context = unsafe MACContext(takingOwnershipOf: pointer)
        let keyed = unsafe secret.withUnsafeBufferPointer { key in
            unsafe CPortcullisOpenSSL_EVP_MAC_init_HMAC(pointer, key.baseAddress, key.count, digest.openSSLName)
        }
        guard keyed == 1 else { throw .backend("keying HMAC-\(digest.openSSLName) failed") }
        return context
    }

    private static func index(_ digest: JWSAlgorithm.Digest) -> Int {
        switch digest {
        case .sha256: 0
        case .sha384: 1
        case .sha512: 2
        }
    }
}
