/// Serialization of ``JSONValue`` (RFC 8259).
///
/// Output is compact (no insignificant whitespace) or pretty-printed with two-space indentation;
/// object members keep their order. Strings escape `"`, `\` and every control character below
/// U+0020 as `\u00XX`; everything else, including non-ASCII text, is written as UTF-8 (§7, §8.1).
/// `/` is not escaped. Numbers are written from ``JSONNumber/text``, so a parsed number is
/// reproduced exactly.
extension JSONValue {
    /// The compact UTF-8 serialization.
    public func serializedBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        JSONWriter.write(self, to: &output, indent: nil)
        return output
    }

    /// The compact serialization as a string.
    public func serializedString() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// A human-readable serialization: two-space indentation, one member or element per line,
    /// `"name": value` with a space after the colon. Empty arrays and objects are `[]` and `{}`.
    public func prettyPrinted() -> String {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        JSONWriter.write(self, to: &output, indent: 0)
        return String(decoding: output, as: UTF8.self)
    }
}

extension JSONObject {
    /// The compact UTF-8 serialization of this object.
    public func serializedBytes() -> [UInt8] { JSONValue.object(self).serializedBytes() }
    /// The compact serialization of this object as a string.
    public func serializedString() -> String { JSONValue.object(self).serializedString() }
    /// The pretty-printed serialization of this object (see ``JSONValue/prettyPrinted()``).
    public func prettyPrinted() -> String { JSONValue.object(self).prettyPrinted() }
}

/// The serializer behind ``JSONValue/serializedBytes()`` and ``JSONValue/prettyPrinted()``.
enum JSONWriter {
    /// Writes `value`; `indent` is `nil` for compact output, else the current nesting level.
    static func write(_ value: JSONValue, to output: inout [UInt8], indent: Int?) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .string(let string): writeString(string, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else { return output.append(contentsOf: "[]".utf8) }
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent.map { $0 + 1 }, to: &output)
                write(element, to: &output, indent: indent.map { $0 + 1 })
            }
            newline(indent, to: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else { return output.append(contentsOf: "{}".utf8) }
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent.map { $0 + 1 }, to: &output)
                writeString(member.name, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(UInt8(ascii: " ")) }
                write(member.value, to: &output, indent: indent.map { $0 + 1 })
            }
            newline(indent, to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// In pretty mode, a line feed and two spaces per level.
    static func newline(_ indent: Int?, to output: inout [UInt8]) {
        guard let indent else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    /// Writes a string literal with the escapes of RFC 8259 §7.
    static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
