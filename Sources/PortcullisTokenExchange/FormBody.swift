public import PortcullisJOSE

/// An `application/x-www-form-urlencoded` body (the HTML URL-encoded form serialization that
/// RFC 6749 §3.2 and RFC 8693 §2.1 use), decoded strictly and in order.
///
/// - `+` is a space and `%XX` a byte; a `%` not followed by two hex digits, or bytes that are not
///   UTF-8 after decoding, make the whole body `invalid_request` (nothing is guessed).
/// - Parameters sent without a value are treated as omitted (RFC 6749 §3.1).
/// - At most ``maximumFields`` fields: a larger body is refused rather than processed.
public struct FormBody: Sendable, Hashable {
    /// The decoded fields, in order, empty values already dropped.
    public let fields: [Field]
    /// The most fields a body may hold.
    public static let maximumFields = 64

    /// One decoded `name=value` pair.
    public struct Field: Sendable, Hashable {
        /// The decoded name.
        public let name: String
        /// The decoded value (never empty).
        public let value: String
    }

    /// Decodes `bytes`.
    /// - Throws: `invalid_request` for bad percent-encoding, invalid UTF-8 or too many fields.
    public init(_ bytes: some Collection<UInt8>) throws(PortcullisError) {
        var fields: [Field] = []
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard fields.count < Self.maximumFields else {
                throw PortcullisError(.invalidRequest, "the form has more than \(Self.maximumFields) fields")
            }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            guard !name.isEmpty, !value.isEmpty else { continue }
            fields.append(Field(name: name, value: value))
        }
        self.fields = fields
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The one value of a single-valued parameter, or `nil` when absent.
    /// - Throws: `invalid_request` when it appears more than once (RFC 6749 §3.2: "Request and
    ///   response parameters MUST NOT be included more than once").
    public func single(_ name: String) throws(PortcullisError) -> String? {
        let all = values(name)
        guard all.count <= 1 else {
            throw PortcullisError(.invalidRequest, "the parameter \(name) appears \(all.count) times; it may appear once", claim: name)
        }
        return all.first
    }

    /// Decodes one form component: `+` is a space, `%XX` a byte, and the result must be UTF-8.
    static func decode(_ component: some Collection<UInt8>) throws(PortcullisError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index != component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "%") {
                let first = component.index(after: index)
                guard first != component.endIndex, component.index(after: first) != component.endIndex,
                    let high = hexValue(component[first]), let low = hexValue(component[component.index(after: first)])
                else {
                    throw PortcullisError(.invalidRequest, "the form has a % that is not followed by two hex digits")
                }
                bytes.append(high << 4 | low)
                index = component.index(first, offsetBy: 2)
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = component.index(after: index)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PortcullisError(.invalidRequest, "the form is not UTF-8 after percent-decoding")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Encodes `fields` as a form body (RFC 6749 Appendix B), for clients.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(encodeComponent($0.0))=\(encodeComponent($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything except the unreserved characters `A-Z a-z 0-9 - . _ ~`.
    public static func encodeComponent(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(digits[Int(byte >> 4)])
                result.unicodeScalars.append(digits[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
