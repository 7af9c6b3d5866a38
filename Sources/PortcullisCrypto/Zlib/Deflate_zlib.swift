internal import CPortcullisZlib
package import PortcullisJOSE

/// Owns one `z_stream` and ends it (`inflateEnd` / `deflateEnd`) when released.
@safe
private final class ZStream {
    var stream = unsafe z_stream()
    private let inflating: Bool
    private var initialised = false

    init(inflating: Bool) throws(PortcullisError) {
        self.inflating = inflating
        // Raw DEFLATE (RFC 1951) as JWE requires (RFC 7516 §4.1.3): negative window bits, no
        // zlib or gzip wrapper.
        let status = inflating
            ? unsafe CPortcullisZlib_inflateInit2(&stream, -15)
            : unsafe CPortcullisZlib_deflateInit2(&stream, Z_DEFAULT_COMPRESSION, -15)
        guard status == Z_OK else { throw PortcullisError(.cryptoFailure, "zlib initialisation failed (\(status))") }
        initialised = true
    }

    deinit {
        guard initialised else { return }
        if inflating { _ = unsafe inflateEnd(&stream) } else { _ = unsafe deflateEnd(&stream) }
    }
}

/// Raw DEFLATE (RFC 1951) for JWE `"zip": "DEF"` (RFC 7516 §4.1.3), through the system zlib.
package enum Deflate {
    /// The output chunk size; also bounds how far past the limit inflation can get (never: the
    /// last chunk is cut to one byte past the limit).
    private static let chunk = 16_384

    /// Inflates `input`, streaming, and stops as soon as the output would exceed `limit` bytes
    /// (inclusive: exactly `limit` bytes is accepted). Work and memory are bounded by
    /// `input.count` and `limit`, whatever the compression ratio.
    /// - Throws: `token_too_large` past the limit (a decompression bomb); `malformed` for data
    ///   that is not one complete raw DEFLATE stream, or with bytes after its end.
    package static func inflate(_ input: [UInt8], limit: Int) throws(PortcullisError) -> [UInt8] {
        guard input.count <= Int(UInt32.max), limit >= 0 else {
            throw PortcullisError(.tokenTooLarge, "the compressed plaintext is too large")
        }
        let owner = try ZStream(inflating: true)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        let outcome: Result<Void, PortcullisError> = unsafe input.withUnsafeBufferPointer { inBuffer in
            // zlib's next_in is not const-qualified but inflate never writes through it.
            unsafe owner.stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            unsafe owner.stream.avail_in = UInt32(inBuffer.count)
            while true {
                // Never ask for more than one byte past the limit.
                let remaining = limit - output.count
                let room = remaining >= chunk ? chunk : remaining + 1
                let (status, produced): (Int32, Int) = unsafe buffer.withUnsafeMutableBufferPointer { out in
                    unsafe owner.stream.next_out = out.baseAddress
                    unsafe owner.stream.avail_out = UInt32(room)
                    let status = unsafe CPortcullisZlib.inflate(&owner.stream, Z_NO_FLUSH)
                    return (status, room - Int(unsafe owner.stream.avail_out))
                }
                output.append(contentsOf: buffer.prefix(produced))
                if output.count > limit {
                    return .failure(PortcullisError(
                        .tokenTooLarge, "the decompressed plaintext exceeds the maximum of \(limit) bytes",
                        expected: "at most \(limit) bytes"))
                }
                switch status {
                case Z_STREAM_END:
                    guard unsafe owner.stream.avail_in == 0 else {
                        return .failure(PortcullisError(.malformed, "the compressed plaintext has bytes after the DEFLATE stream"))
                    }
                    return .success(())
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                default:
                    return .failure(PortcullisError(.malformed, "the compressed plaintext is not valid DEFLATE data (RFC 1951)"))
                }
            }
        }
        try outcome.get()
        return output
    }

    /// Compresses `input` to one raw DEFLATE stream.
    package static func deflate(_ input: [UInt8]) throws(PortcullisError) -> [UInt8] {
        guard input.count <= Int(UInt32.max) / 2 else { throw PortcullisError(.tokenTooLarge, "the plaintext is too large") }
        let owner = try ZStream(inflating: false)
        let bound = Int(unsafe deflateBound(&owner.stream, UInt(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int? = unsafe input.withUnsafeBufferPointer { inBuffer in
            unsafe output.withUnsafeMutableBufferPointer { out in
                unsafe owner.stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                unsafe owner.stream.avail_in = UInt32(inBuffer.count)
                unsafe owner.stream.next_out = out.baseAddress
                unsafe owner.stream.avail_out = UInt32(out.count)
                guard unsafe CPortcullisZlib.deflate(&owner.stream, Z_FINISH) == Z_STREAM_END else { return nil }
                return out.count - Int(unsafe owner.stream.avail_out)
            }
        }
        guard let written else { throw PortcullisError(.cryptoFailure, "DEFLATE compression failed") }
        return Array(output.prefix(written))
    }
}
