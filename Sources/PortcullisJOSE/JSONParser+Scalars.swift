/// Strings and numbers of ``JSONParser``.
extension JSONParser {
    // MARK: Strings (RFC 8259 §7, §8.1)

    /// Reads a string literal starting at its opening quote.
    mutating func parseString(_ input: Span<UInt8>) throws(PortcullisError) -> String {
        let (range, hasEscape) = try scanString(input)
        if hasEscape {
            return try Self.decodeEscapes(input.extracting(range), offset: range.lowerBound, source: source, base: base)
        }
        return makeString(range)
    }

    /// Reads a member name and its fingerprint (see ``fingerprint(_:)``). Frequent names come
    /// from ``KnownNames`` without allocating.
    mutating func parseName(_ input: Span<UInt8>) throws(PortcullisError) -> (name: String, fingerprint: UInt64) {
        let (range, hasEscape) = try scanString(input)
        if hasEscape {
            let name = try Self.decodeEscapes(input.extracting(range), offset: range.lowerBound, source: source, base: base)
            return (name, Self.fingerprint(name.utf8))
        }
        var packed: UInt64 = 0
        for index in range.lowerBound..<min(range.upperBound, range.lowerBound + 8) {
            packed = packed << 8 | UInt64(input[index])
        }
        if range.count <= 8 {
            if let known = KnownNames.name(packed: packed) { return (known, packed) }
            return (makeString(range), packed)
        }
        return (makeString(range), packed ^ UInt64(truncatingIfNeeded: range.count) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// A cheap summary of a name's UTF-8 bytes — equal bytes give equal fingerprints — so that
    /// duplicate checks compare integers and confirm with an exact comparison only on a match.
    static func fingerprint(_ bytes: some Collection<UInt8>) -> UInt64 {
        var packed: UInt64 = 0
        for byte in bytes.prefix(8) { packed = packed << 8 | UInt64(byte) }
        let count = bytes.count
        return count <= 8 ? packed : packed ^ UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Scans a string literal starting at its opening quote and returns the span offsets of its
    /// raw contents and whether it has escapes.
    ///
    /// One scan finds the closing quote, rejects unescaped control characters and validates
    /// every non-ASCII sequence as it goes (``validateUTF8Sequence(_:at:)``); nothing is ever
    /// replaced with U+FFFD.
    mutating func scanString(_ input: Span<UInt8>) throws(PortcullisError) -> (range: Range<Int>, hasEscape: Bool) {
        let start = position + 1
        let count = input.count
        var index = start
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
            } else if byte >= 0x80 {
                index = try Self.validateUTF8Sequence(input, at: index)
            } else if byte < 0x20 {
                throw Self.error("unescaped control character \(Self.describe(byte)) in string", at: index)
            } else {
                index += 1
            }
        }
        guard index - start <= limits.maxStringLength else {
            throw Self.error("string longer than \(limits.maxStringLength) bytes", at: start - 1)
        }
        position = index + 1
        return (start..<index, hasEscape)
    }

    /// Validates the UTF-8 sequence whose lead byte (≥ 0x80) is at `index` and returns the index
    /// after it. Enforces RFC 3629 §4: no overlong forms, no surrogates (U+D800–U+DFFF), nothing
    /// above U+10FFFF, no stray continuation bytes, no truncated sequences.
    @inline(__always)
    static func validateUTF8Sequence(_ input: Span<UInt8>, at index: Int) throws(PortcullisError) -> Int {
        let lead = input[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        case 0x80...0xBF:
            throw error("invalid UTF-8 (unexpected continuation byte \(describe(lead))) in string", at: index)
        case 0xC0, 0xC1:
            throw error("invalid UTF-8 (overlong encoding) in string", at: index)
        default:
            throw error("invalid UTF-8 (byte \(describe(lead)) cannot start a sequence) in string", at: index)
        }
        guard index + length <= input.count else {
            throw error("invalid UTF-8 (truncated sequence) in string", at: index)
        }
        guard secondRange.contains(input[index + 1]) else {
            let reason = switch lead {
            case 0xE0, 0xF0: "overlong encoding"
            case 0xED: "encoded surrogate"
            case 0xF4: "code point above U+10FFFF"
            default: "bad continuation byte"
            }
            throw error("invalid UTF-8 (\(reason)) in string", at: index)
        }
        var next = index + 2
        while next < index + length {
            guard input[next] & 0xC0 == 0x80 else {
                throw error("invalid UTF-8 (bad continuation byte) in string", at: index)
            }
            next += 1
        }
        return next
    }

    /// Decodes the escapes of a string literal's raw bytes (already validated as UTF-8 outside
    /// escapes). `offset` is the input offset of `raw[0]`, for messages.
    /// Static, with `source` and `base` (see ``JSONParser``) passed in, so that the parser is not copied.
    static func decodeEscapes(
        _ raw: Span<UInt8>, offset: Int, source: ArraySlice<UInt8>, base: Int
    ) throws(PortcullisError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        let count = raw.count
        // Runs without escapes are copied in bulk from `source`, where `raw` starts at `offset`.
        var runStart = 0
        let sourceStart = base + offset
        while index < count {
            guard raw[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if runStart < index {
                output.append(contentsOf: source[sourceStart + runStart..<sourceStart + index])
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
            runStart = index
        }
        if runStart < count {
            output.append(contentsOf: source[sourceStart + runStart..<sourceStart + count])
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
        var int64: Int64?
        if isInteger, !overflow {
            if negative {
                int64 = accumulator
            } else if accumulator != .min {
                int64 = -accumulator
            }
        }
        // Integers up to 2^53 convert exactly; everything else goes through the correctly
        // rounded text conversion. The grammar makes an integer literal's text `String(int64)`,
        // except for `-0`, so such numbers need no text of their own.
        if let int64, int64.magnitude <= 1 << 53 {
            if negative, int64 == 0 {
                return JSONNumber(text: makeString(start..<index), doubleValue: Double(int64), int64Value: int64)
            }
            return JSONNumber(canonicalInteger: int64)
        }
        let text = makeString(start..<index)
        guard let double = Double(text), double.isFinite else {
            throw Self.error("number out of the range of a 64-bit float", at: start)
        }
        return JSONNumber(text: text, doubleValue: double, int64Value: int64)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
