/// The recursive-descent core of ``JSONReader``: one pass over a span of bytes, no per-character
/// allocation. Strings and numbers live in `JSONParser+Scalars.swift`.
///
/// Recursion depth is bounded by ``JSONLimits/maxDepth`` (itself at most
/// ``JSONLimits/depthCeiling``), checked *before* descending into an array or object.
struct JSONParser {
    /// The bytes being read; strings are built from slices of it.
    let source: ArraySlice<UInt8>
    /// `source.startIndex`: span offsets plus this are `source` indices.
    let base: Int
    let limits: JSONLimits
    /// The offset of the next byte to read.
    var position = 0
    /// The number of arrays and objects currently open.
    var depth = 0

    init(source: ArraySlice<UInt8>, limits: JSONLimits) {
        self.source = source
        self.base = source.startIndex
        self.limits = limits
    }

    /// The string made of the (already validated) UTF-8 bytes at span offsets `range`.
    @inline(__always)
    func makeString(_ range: Range<Int>) -> String {
        String(decoding: source[base + range.lowerBound..<base + range.upperBound], as: UTF8.self)
    }

    // MARK: Documents

    /// Reads exactly one value surrounded by optional whitespace (RFC 8259 §2).
    mutating func parseDocument(_ input: Span<UInt8>) throws(PortcullisError) -> JSONValue {
        skipWhitespace(input)
        let value = try parseValue(input)
        try expectEnd(input)
        return value
    }

    /// Reads exactly one object surrounded by optional whitespace.
    mutating func parseObjectDocument(_ input: Span<UInt8>) throws(PortcullisError) -> JSONObject {
        skipWhitespace(input)
        guard position < input.count, input[position] == UInt8(ascii: "{") else {
            if position < input.count {
                throw Self.error("expected a JSON object, found \(Self.describe(input[position]))", at: position)
            }
            throw Self.error("expected a JSON object, found the end of the input", at: position)
        }
        let object = try parseObject(input)
        try expectEnd(input)
        return object
    }

    mutating func expectEnd(_ input: Span<UInt8>) throws(PortcullisError) {
        skipWhitespace(input)
        guard position == input.count else {
            throw Self.error("unexpected \(Self.describe(input[position])) after the JSON value (trailing data)", at: position)
        }
    }

    /// Skips JSON whitespace: space, tab, line feed and carriage return only (RFC 8259 §2).
    @inline(__always)
    mutating func skipWhitespace(_ input: Span<UInt8>) {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    // MARK: Values

    mutating func parseValue(_ input: Span<UInt8>) throws(PortcullisError) -> JSONValue {
        guard position < input.count else { throw Self.error("unexpected end of input, expected a value", at: position) }
        switch input[position] {
        case UInt8(ascii: "\""): return .string(try parseString(input))
        case UInt8(ascii: "{"): return .object(try parseObject(input))
        case UInt8(ascii: "["): return .array(try parseArray(input))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber(input))
        case UInt8(ascii: "t"):
            try expectLiteral(input, .true)
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral(input, .false)
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral(input, .null)
            return .null
        case let byte:
            throw Self.error("unexpected \(Self.describe(byte)), expected a value", at: position)
        }
    }

    /// Consumes the literal `true`, `false` or `null` (RFC 8259 §3), compared as packed bytes.
    mutating func expectLiteral(_ input: Span<UInt8>, _ literal: Literal) throws(PortcullisError) {
        let length = literal.length
        guard input.count - position >= length else {
            throw Self.error("invalid literal, expected '\(literal.text)'", at: position)
        }
        var packed: UInt64 = 0
        for index in position..<position + length { packed = packed << 8 | UInt64(input[index]) }
        guard packed == literal.packed else {
            throw Self.error("invalid literal, expected '\(literal.text)'", at: position)
        }
        position += length
    }

    /// The three JSON literal names.
    enum Literal {
        case `true`, `false`, null

        var text: String {
            switch self {
            case .true: "true"
            case .false: "false"
            case .null: "null"
            }
        }

        var length: Int { self == .false ? 5 : 4 }

        /// The ASCII bytes, big-endian in a `UInt64`.
        var packed: UInt64 {
            switch self {
            case .true: 0x7472_7565
            case .false: 0x66_616C_7365
            case .null: 0x6E75_6C6C
            }
        }
    }

    // MARK: Containers

    /// Enters one nesting level, refusing to go deeper than the limit (checked before recursing).
    @inline(__always)
    mutating func enter() throws(PortcullisError) {
        guard depth < limits.maxDepth else {
            throw Self.error("nesting deeper than the limit of \(limits.maxDepth)", at: position)
        }
        depth += 1
        position += 1
    }

    mutating func parseArray(_ input: Span<UInt8>) throws(PortcullisError) -> [JSONValue] {
        try enter()
        defer { depth -= 1 }
        skipWhitespace(input)
        if position < input.count, input[position] == UInt8(ascii: "]") {
            position += 1
            return []
        }
        var elements: [JSONValue] = []
        while true {
            elements.append(try parseValue(input))
            guard elements.count <= limits.maxMembers else {
                throw Self.error("array has more than \(limits.maxMembers) elements", at: position)
            }
            skipWhitespace(input)
            guard position < input.count else { throw Self.error("unterminated array", at: position) }
            switch input[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace(input)
                if position < input.count, input[position] == UInt8(ascii: "]") {
                    throw Self.error("trailing comma in array", at: position)
                }
            case UInt8(ascii: "]"):
                position += 1
                return elements
            case let byte:
                throw Self.error("unexpected \(Self.describe(byte)) in array, expected ',' or ']'", at: position)
            }
        }
    }

    mutating func parseObject(_ input: Span<UInt8>) throws(PortcullisError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        skipWhitespace(input)
        if position < input.count, input[position] == UInt8(ascii: "}") {
            position += 1
            return JSONObject()
        }
        var members: [JSONObject.Member] = []
        // Claim sets are usually larger than nested objects: one allocation for either.
        members.reserveCapacity(depth == 1 ? 16 : 8)
        var names = DuplicateNameDetector()
        while true {
            guard position < input.count else { throw Self.error("unterminated object", at: position) }
            guard input[position] == UInt8(ascii: "\"") else {
                if input[position] == UInt8(ascii: "}") { throw Self.error("trailing comma in object", at: position) }
                throw Self.error("unexpected \(Self.describe(input[position])), expected a member name", at: position)
            }
            let nameOffset = position
            let (name, fingerprint) = try parseName(input)
            guard names.insert(name, fingerprint: fingerprint, existing: members) else {
                throw Self.error("duplicate member name \"\(Self.excerpt(name))\"", at: nameOffset)
            }
            skipWhitespace(input)
            guard position < input.count, input[position] == UInt8(ascii: ":") else {
                throw Self.error("expected ':' after a member name", at: position)
            }
            position += 1
            skipWhitespace(input)
            members.append(JSONObject.Member(name: name, value: try parseValue(input)))
            guard members.count <= limits.maxMembers else {
                throw Self.error("object has more than \(limits.maxMembers) members", at: position)
            }
            skipWhitespace(input)
            guard position < input.count else { throw Self.error("unterminated object", at: position) }
            switch input[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace(input)
            case UInt8(ascii: "}"):
                position += 1
                return JSONObject(uniqueMembers: members)
            case let byte:
                throw Self.error("unexpected \(Self.describe(byte)) in object, expected ',' or '}'", at: position)
            }
        }
    }

    // MARK: Errors

    /// A `malformed` error naming the byte offset.
    static func error(_ message: String, at offset: Int) -> PortcullisError {
        PortcullisError(.malformed, "invalid JSON: \(message) at byte offset \(offset)")
    }

    /// A printable description of one byte for error messages.
    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
    }

    /// At most 40 characters of a name, for messages.
    static func excerpt(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "…"
    }
}
