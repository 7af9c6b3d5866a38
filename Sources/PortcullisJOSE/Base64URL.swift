/// Strict base64url without padding, as JOSE uses it (RFC 7515 §2, RFC 4648 §5).
///
/// Decoding accepts only the canonical encoding: the characters `A–Z a–z 0–9 - _`, no `=`
/// padding, no whitespace or line breaks, never a length of `4k + 1`, and the unused low bits of
/// the last character must be zero (RFC 4648 §3.5), so every byte string has exactly one
/// accepted encoding. Every violation throws ``PortcullisError`` with code `malformed`.
public enum Base64URL {
    /// The URL- and filename-safe alphabet (RFC 4648 §5, Table 2).
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or `0xFF` when the byte is not in the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
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
        if let array = bytes as? [UInt8] { return encode(span: array.span) }
        let array = Array(bytes)
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
        var string = String(text)
        string.makeContiguousUTF8()
        return try decode(span: string.utf8.span)
    }

    /// Decodes strict, unpadded base64url text given as a `String`.
    public static func decode(_ text: String) throws(PortcullisError) -> [UInt8] {
        var string = text
        string.makeContiguousUTF8()
        return try decode(span: string.utf8.span)
    }

    /// Decodes strict, unpadded base64url given as the ASCII bytes of the text.
    public static func decode(_ bytes: some Collection<UInt8>) throws(PortcullisError) -> [UInt8] {
        if let array = bytes as? [UInt8] { return try decode(span: array.span) }
        if let slice = bytes as? ArraySlice<UInt8> { return try decode(span: slice.span) }
        let array = Array(bytes)
        return try decode(span: array.span)
    }

    /// Decodes strict, unpadded base64url given as a span of ASCII bytes. This is the fast path
    /// every other `decode` funnels into.
    public static func decode(span input: Span<UInt8>) throws(PortcullisError) -> [UInt8] {
        let count = input.count
        let remainder = count & 3
        guard remainder != 1 else {
            throw PortcullisError(.malformed, "invalid base64url: a length of \(count) characters (4k+1) cannot be decoded")
        }
        let table = decodeTable.span
        let outputCount = count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
        var invalid: UInt8 = 0
        let output = [UInt8](capacity: outputCount) { (output: inout OutputSpan<UInt8>) in
            var index = 0
            while index + 4 <= count {
                let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                invalid |= a | b | c | d
                let word = UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)
                output.append(UInt8(truncatingIfNeeded: word >> 16))
                output.append(UInt8(truncatingIfNeeded: word >> 8))
                output.append(UInt8(truncatingIfNeeded: word))
                index += 4
            }
            if remainder == 2 {
                let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                invalid |= a | b | (b & 0x0F == 0 ? 0 : 0x40)
                output.append(UInt8(truncatingIfNeeded: UInt32(a & 0x3F) << 2 | UInt32(b & 0x3F) >> 4))
            } else if remainder == 3 {
                let a = table[Int(input[index])], b = table[Int(input[index + 1])], c = table[Int(input[index + 2])]
                invalid |= a | b | c | (c & 0x03 == 0 ? 0 : 0x40)
                let word = UInt32(a & 0x3F) << 10 | UInt32(b & 0x3F) << 4 | UInt32(c & 0x3F) >> 2
                output.append(UInt8(truncatingIfNeeded: word >> 8))
                output.append(UInt8(truncatingIfNeeded: word))
            }
        }
        // Valid 6-bit values never set bit 6 or 7: any set bit means an invalid character (0xFF)
        // or non-zero trailing bits (0x40, set above).
        guard invalid & 0xC0 == 0 else { throw diagnose(input) }
        return output
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
        return PortcullisError(.malformed, "invalid base64url: non-zero unused bits in the last character (non-canonical encoding, RFC 4648 §3.5)")
    }
}
