internal import CPortcullisOpenSSL
import PortcullisJOSE

/// The SHA-2 implementations, fetched from the default provider once for the life of the process
/// (`EVP_MD_fetch` is a locked name lookup; doing it per call costs more than hashing a token).
@safe
private final class FetchedDigests: @unchecked Sendable {
    let sha256: OpaquePointer?
    let sha384: OpaquePointer?
    let sha512: OpaquePointer?

    init() {
        unsafe sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        unsafe sha384 = EVP_MD_fetch(nil, "SHA384", nil)
        unsafe sha512 = EVP_MD_fetch(nil, "SHA512", nil)
    }

    // Never freed: the instance lives as long as the process.

    func md(_ digest: JWSAlgorithm.Digest) -> OpaquePointer? {
        switch digest {
        case .sha256: unsafe sha256
        case .sha384: unsafe sha384
        case .sha512: unsafe sha512
        }
    }
}

private let fetchedDigests = FetchedDigests()

/// The OpenSSL name of a digest, as used by `EVP_DigestSignInit_ex` and HMAC.
extension JWSAlgorithm.Digest {
    var openSSLName: String {
        switch self {
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        }
    }
}

/// Owns one `EVP_MD_CTX` used for plain hashing. Reused across calls (`EVP_DigestInit_ex2`
/// resets it), never used by two threads at once (see ``ContextPool``).
@safe
final class DigestContext: @unchecked Sendable {
    private let pointer: OpaquePointer

    private init(takingOwnershipOf pointer: OpaquePointer) {
        unsafe self.pointer = pointer
    }

    deinit {
        unsafe EVP_MD_CTX_free(pointer)
    }

    /// A fresh context.
    static func make() throws(PortcullisError) -> DigestContext {
        guard let pointer = unsafe EVP_MD_CTX_new() else {
            throw .backend("EVP_MD_CTX_new failed")
        }
        return unsafe DigestContext(takingOwnershipOf: pointer)
    }

    /// Hashes `input` with `digest`.
    func hash(_ input: some Collection<UInt8>, digest: JWSAlgorithm.Digest) throws(PortcullisError) -> [UInt8] {
        guard let md = unsafe fetchedDigests.md(digest) else {
            throw .backend("\(digest.openSSLName) is not available from the OpenSSL default provider")
        }
        let ok = unsafe withContiguousBytes(input) { bytes in
            unsafe EVP_DigestInit_ex2(pointer, md, nil) == 1
                && EVP_DigestUpdate(pointer, bytes.baseAddress, bytes.count) == 1
        }
        guard ok else { throw .backend("hashing with \(digest.openSSLName) failed") }
        var output = [UInt8](repeating: 0, count: digest.byteCount)
        var length: UInt32 = 0
        let finished = unsafe output.withUnsafeMutableBufferPointer { buffer in
            unsafe EVP_DigestFinal_ex(pointer, buffer.baseAddress, &length)
        }
        guard finished == 1, Int(length) == digest.byteCount else {
            throw .backend("hashing with \(digest.openSSLName) failed")
        }
        return output
    }
}

/// Calls `body` with the bytes of `collection` as one contiguous buffer: directly for arrays,
/// slices, `Data` and native strings' UTF-8 views; through a temporary array otherwise.
func withContiguousBytes<R>(
    _ collection: some Collection<UInt8>,
    _ body: (UnsafeRawBufferPointer) -> R
) -> R {
    if let result = collection.withContiguousStorageIfAvailable({ buffer in
        unsafe body(UnsafeRawBufferPointer(buffer))
    }) {
        return result
    }
    let copy = Array(collection)
    return unsafe copy.withUnsafeBytes { bytes in unsafe body(bytes) }
}

/// One-shot hashing for ``Digests``.
enum DigestBackend {
    /// The digest of `input`. OpenSSL's default provider always offers SHA-2; if it cannot (a
    /// broken installation), that is a configuration error, not something input can cause.
    static func hash(_ input: some Collection<UInt8>, digest: JWSAlgorithm.Digest) -> [UInt8] {
        guard let md = unsafe fetchedDigests.md(digest) else {
            preconditionFailure("OpenSSL does not provide \(digest.openSSLName)")
        }
        var output = [UInt8](repeating: 0, count: digest.byteCount)
        var length: UInt32 = 0
        let status = unsafe withContiguousBytes(input) { bytes in
            unsafe EVP_Digest(bytes.baseAddress, bytes.count, &output, &length, md, nil)
        }
        guard status == 1, Int(length) == digest.byteCount else {
            preconditionFailure("OpenSSL failed to compute \(digest.openSSLName)")
        }
        return output
    }
}
