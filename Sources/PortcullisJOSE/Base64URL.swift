/// Strict base64url without padding, as JOSE uses it (RFC 7515 §2, RFC 4648 §5).
///
/// Decoding accepts only the canonical encoding: the characters `A–Z a–z 0–9 - _`, no `=`
/// padding, no whitespace or line breaks, never a length of `4k + 1`, and the unused low bits of
/// the last character must be zero (RFC 4648 §3.5), so every byte string has exactly one
/// accepted encoding. Every violation throws ``PortcullisError`` with code `malformed`.
public enum Base64URL {
    /// The URL- and filename-safe alphabet (RFC 4648 §5, Table 2).
    static let alphabet = ContiguousArray("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or `0xFF` when the byte is not in the alphabet.
    static let decodeTable: ContiguousArray<UInt8> = {
        var table = ContiguousArray<UInt8>(repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    // MARK: Encoding

    /// Encodes bytes as unpadded base64url text (RFC 7515 §2).
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeToBytes(bytes), as: UTF8.self)
    }

    /// Encodes bytes as unpadded base64url, returning the ASCII bytes of the text.
    public static func encodeToBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let array = bytes as? [UInt8] {
            let slice = array[...]
            return encode(span: slice.span)
        }
        let array = ContiguousArray(bytes)
        return encode(span: array.span)
    }

    /// Encodes the bytes of a span as unpadded base64url, returning the ASCII bytes of the text.
    public static func encode(span input: Span<UInt8>) -> [UInt8] {
        let count = input.count
        let outputCount = count / 3 * 4 + [0, 2, 3][count % 3]
        let table = alphabet.span
        return [UInt8](capacity: outputCount) { (output: inout OutputSpan<UInt8>) in
            var index = 0
            while index + 3 <= count {
                let word = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output.append(table[Int(word >> 18)])
                output.append(table[Int(word >> 12 & 0x3F)])
                output.append(table[Int(word >> 6 & 0x3F)])
                output.append(table[Int(word & 0x3F)])
                index += 3
            }
            switch count - index {
            case 1:
                let word = UInt32(input[index]) << 16
                output.append(table[Int(word >> 18)])
                output.append(table[Int(word >> 12 & 0x3F)])
            case 2:
                let word = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                output.append(table[Int(word >> 18)])
                output.append(table[Int(word >> 12 & 0x3F)])
                output.append(table[Int(word >> 6 & 0x3F)])
            default:
                break
            }
        }
    }

    // MARK: Decoding

    /// Decodes strict, unpadded base64url text (RFC 7515 §2).
    /// - Throws: `malformed` for any character outside the URL-safe alphabet (including `=`,
    ///   `+`, `/` and whitespace), a length of `4k + 1`, or non-zero unused trailing bits.
    public static func decode(_ text: some StringProtocol) throws(PortcullisError) -> [UInt8] {
        let bytes = ContiguousArray(text.utf8)
        return try decode(span: bytes.span)
    }

    /// Decodes strict, unpadded base64url given as the ASCII bytes of the text.
    public static func decode(_ bytes: some Collection<UInt8>) throws(PortcullisError) -> [UInt8] {
        if let array = bytes as? [UInt8] {
            let slice = array[...]
            return try decode(span: slice.span)
        }
        if let slice = bytes as? ArraySlice<UInt8> { return try decode(span: slice.span) }
        let array = ContiguousArray(bytes)
        return try decode(span: array.span)
    }

    /// Decodes strict, unpadded base64url given as a span of ASCII bytes. This is the fast path
    /// every other `decode` funnels into.
    public static func decode(span input: Span<UInt8>) throws(PortcullisError) -> [UInt8] {
        if let (bytes, end) = decodePrefix(input, from: 0), end == input.count { return bytes }
        throw diagnose(input)
    }

    /// Decodes the base64url run that starts at `start` and stops at the first byte outside the
    /// alphabet (or at the end). Returns the bytes and the offset where the run stopped, or
    /// `nil` when the run has a length of `4k + 1` or non-zero unused trailing bits. Used to
    /// decode the segments of a compact JWS in the same pass that finds the dots.
    static func decodePrefix(_ input: Span<UInt8>, from start: Int) -> (bytes: [UInt8], end: Int)? {
        let table = decodeTable.span
        let count = input.count
        var end = count
        var canonical = true
        let bytes = [UInt8](capacity: (count - start) / 4 * 3 + 2) { (output: inout OutputSpan<UInt8>) in
            var index = start
            while index + 4 <= count {
                let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                // Valid 6-bit values never set bit 7; the table maps other bytes to 0xFF.
                guard (a | b | c | d) & 0x80 == 0 else { break }
                let word = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output.append(UInt8(truncatingIfNeeded: word >> 16))
                output.append(UInt8(truncatingIfNeeded: word >> 8))
                output.append(UInt8(truncatingIfNeeded: word))
                index += 4
            }
            // At most three more alphabet characters before the run ends.
            var tail = 0
            while tail < 3, index + tail < count, table[Int(input[index + tail])] & 0x80 == 0 { tail += 1 }
            end = index + tail
            switch tail {
            case 0:
                break
            case 2:
                let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                canonical = b & 0x0F == 0
                output.append(a << 2 | b >> 4)
            case 3:
                let a = table[Int(input[index])], b = table[Int(input[index + 1])], c = table[Int(input[index + 2])]
                canonical = c & 0x03 == 0
                output.append(a << 2 | b >> 4)
                output.append((b & 0x0F) << 4 | c >> 2)
            default:
                canonical = false
            }
        }
        return canonical ? (bytes, end) : nil
    }

    /// Builds the precise error for input that failed the fast decoding loop.
    static func diagnose(_ input: Span<UInt8>) -> PortcullisError {
        let table = decodeTable.span
        for index in 0..<input.count where table[Int(input[index])] == 0xFF {
            let byte = input[index]
            let what: String = switch byte {
            case UInt8(ascii: "="): "padding '=' (JOSE base64url is unpadded, RFC 7515 §2)"
            case UInt8(ascii: "+"), UInt8(ascii: "/"): "'\(Unicode.Scalar(byte))' from the standard base64 alphabet (use '-' and '_')"
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): "whitespace"
            case 0x21...0x7E: "character '\(Unicode.Scalar(byte))'"
            default: "byte 0x\(String(byte, radix: 16, uppercase: true))"
            }
            return PortcullisError(.malformed, "invalid base64url: \(what) at offset \(index)")
        }
        if input.count & 3 == 1 {
            return PortcullisError(.malformed, "invalid base64url: a length of \(input.count) characters (4k+1) cannot be decoded")
        }
        return PortcullisError(.malformed, "invalid base64url: non-zero unused bits in the last character (non-canonical encoding, RFC 4648 §3.5)")
    }
}
