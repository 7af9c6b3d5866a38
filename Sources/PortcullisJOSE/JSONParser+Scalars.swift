/// Strings and numbers of ``JSONParser``.
extension JSONParser {
    // MARK: Strings (RFC 8259 §7, §8.1)

    /// Reads a string literal starting at its opening quote.
    ///
    /// One scan finds the closing quote and rejects unescaped control characters; the raw bytes
    /// are then validated as UTF-8 (only when a byte ≥ 0x80 was seen) with the standard
    /// library's conformant validator, which rejects overlong forms, encoded surrogates,
    /// truncated sequences and code points above U+10FFFF. Escapes are ASCII, so validating the
    /// raw literal validates every raw chunk of the decoded string, with exact offsets.
    mutating func parseString(_ input: Span<UInt8>) throws(PortcullisError) -> String {
        let start = position + 1
        let count = input.count
        var index = start
        var highBits: UInt8 = 0
        var hasEscape = false
        while true {
            guard index < count else {
                throw Self.error("unterminated string", at: start - 1)
            }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 2
            } else if byte < 0x20 {
                throw Self.error("unescaped control character \(Self.describe(byte)) in string", at: index)
            } else {
                highBits |= byte
                index += 1
            }
        }
        guard index - start <= limits.maxStringLength else {
            throw Self.error("string longer than \(limits.maxStringLength) bytes", at: start - 1)
        }
        position = index + 1
        let raw = input.extracting(start..<index)
        if highBits & 0x80 != 0 {
            do throws(UTF8.ValidationError) {
                _ = try UTF8Span(validating: raw)
            } catch {
                throw Self.error("invalid UTF-8 (\(error.kind)) in string", at: start + error.byteOffsets.lowerBound)
            }
        }
        if hasEscape {
            return try decodeEscapes(raw, offset: start)
        }
        // Already validated above (or pure ASCII): this validation is a fast re-check.
        do throws(UTF8.ValidationError) {
            return String(copying: try UTF8Span(validating: raw))
        } catch {
            throw Self.error("invalid UTF-8 in string", at: start + error.byteOffsets.lowerBound)
        }
    }

    /// Decodes the escapes of a string literal's raw bytes (already known to be valid UTF-8
    /// outside escapes). `offset` is the input offset of `raw[0]`, for messages.
    func decodeEscapes(_ raw: Span<UInt8>, offset: Int) throws(PortcullisError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        let count = raw.count
        while index < count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            // The scan guarantees a byte after every backslash (the closing quote at worst is
            // outside `raw`, so check).
            guard index + 1 < count else { throw Self.error("unterminated escape", at: offset + index) }
            switch raw[index + 1] {
            case UInt8(ascii: "\""): output.append(0x22)
            case UInt8(ascii: "\\"): output.append(0x5C)
            case UInt8(ascii: "/"): output.append(0x2F)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                let first = try Self.hex4(raw, index + 2, offset: offset)
                var scalarValue = UInt32(first)
                switch first {
                case 0xD800...0xDBFF:
                    // A high surrogate must be followed at once by an escaped low surrogate (§7).
                    guard index + 7 < count, raw[index + 6] == UInt8(ascii: "\\"), raw[index + 7] == UInt8(ascii: "u") else {
                        throw Self.error("lone high surrogate \\u\(Self.hex(first)) in string", at: offset + index)
                    }
                    let second = try Self.hex4(raw, index + 8, offset: offset)
                    guard (0xDC00...0xDFFF).contains(second) else {
                        throw Self.error("high surrogate \\u\(Self.hex(first)) not followed by a low surrogate", at: offset + index)
                    }
                    scalarValue = 0x10000 + (UInt32(first - 0xD800) << 10 | UInt32(second - 0xDC00))
                    index += 6
                case 0xDC00...0xDFFF:
                    throw Self.error("lone low surrogate \\u\(Self.hex(first)) in string", at: offset + index)
                default:
                    break
                }
                Self.appendUTF8(scalarValue, to: &output)
                index += 4
            case let other:
                throw Self.error("invalid escape '\\' followed by \(Self.describe(other))", at: offset + index)
            }
            index += 2
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the UTF-8 form of a scalar value (never a surrogate, at most U+10FFFF).
    static func appendUTF8(_ value: UInt32, to output: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            output.append(UInt8(truncatingIfNeeded: value))
        case 0x80..<0x800:
            output.append(UInt8(truncatingIfNeeded: 0xC0 | value >> 6))
            output.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(truncatingIfNeeded: 0xE0 | value >> 12))
            output.append(UInt8(truncatingIfNeeded: 0x80 | value >> 6 & 0x3F))
            output.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F))
        default:
            output.append(UInt8(truncatingIfNeeded: 0xF0 | value >> 18))
            output.append(UInt8(truncatingIfNeeded: 0x80 | value >> 12 & 0x3F))
            output.append(UInt8(truncatingIfNeeded: 0x80 | value >> 6 & 0x3F))
            output.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F))
        }
    }

    /// Reads four hexadecimal digits at `index` of `raw`.
    static func hex4(_ raw: Span<UInt8>, _ index: Int, offset: Int) throws(PortcullisError) -> UInt16 {
        guard index + 4 <= raw.count else { throw error("truncated \\u escape", at: offset + index - 2) }
        var value: UInt16 = 0
        for position in index..<index + 4 {
            let byte = raw[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hexadecimal digit \(describe(byte)) in \\u escape", at: offset + position)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: Numbers (RFC 8259 §6)

    /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func parseNumber(_ input: Span<UInt8>) throws(PortcullisError) -> JSONNumber {
        let start = position
        let count = input.count
        var index = start
        let negative = input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        // The integer part, accumulated as a negative value so that Int64.min fits.
        var accumulator: Int64 = 0
        var overflow = false
        guard index < count, Self.isDigit(input[index]) else {
            throw Self.error("expected a digit in number", at: index)
        }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < count, Self.isDigit(input[index]) {
                throw Self.error("leading zero in number", at: start)
            }
        } else {
            while index < count, Self.isDigit(input[index]) {
                let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(Int64(input[index] &- UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                accumulator = next
                index += 1
            }
        }
        var isInteger = true
        if index < count, input[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < count, Self.isDigit(input[index]) else {
                throw Self.error("expected a digit after the decimal point", at: index)
            }
            while index < count, Self.isDigit(input[index]) { index += 1 }
        }
        if index < count, input[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, Self.isDigit(input[index]) else {
                throw Self.error("expected a digit in the exponent", at: index)
            }
            while index < count, Self.isDigit(input[index]) { index += 1 }
        }
        guard index - start <= limits.maxNumberLength else {
            throw Self.error("number longer than \(limits.maxNumberLength) characters", at: start)
        }
        position = index
        let text: String
        do throws(UTF8.ValidationError) {
            text = String(copying: try UTF8Span(validating: input.extracting(start..<index)))
        } catch {
            throw Self.error("invalid number", at: start)
        }
        var int64: Int64?
        if isInteger, !overflow {
            if negative {
                int64 = accumulator
            } else if accumulator != .min {
                int64 = -accumulator
            }
        }
        // Integers up to 2^53 convert exactly; everything else goes through the correctly
        // rounded text conversion.
        if let int64, int64.magnitude <= 1 << 53 {
            return JSONNumber(text: text, doubleValue: Double(int64), int64Value: int64)
        }
        guard let double = Double(text), double.isFinite else {
            throw Self.error("number out of the range of a 64-bit float", at: start)
        }
        return JSONNumber(text: text, doubleValue: double, int64Value: int64)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
