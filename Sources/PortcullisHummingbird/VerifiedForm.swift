#if Hummingbird
/// The fields of an `application/x-www-form-urlencoded` post whose CSRF token matched the
/// session's (``CSRFMiddleware``): the body is read once, bounded, and handed to the handler in
/// ``PortcullisState/form``.
public struct VerifiedForm: Sendable {
    /// The fields in order, names and values decoded (WHATWG URL §5.1: `+` is a space, `%XX` a
    /// byte, invalid UTF-8 becomes U+FFFD); a name may repeat. The CSRF field is included.
    public let fields: [(name: String, value: String)]

    /// Creates a form from decoded fields (``CSRFMiddleware`` makes them).
    public init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// The first value of field `name`, or `nil`.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of field `name`, in order.
    public func values(named name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }
}

/// `application/x-www-form-urlencoded` parsing (WHATWG URL §5.1), for form bodies and for the
/// callback's query (RFC 6749 Appendix B).
enum URLEncodedForm {
    /// The name–value pairs of `text`, in order; empty sequences between `&` are skipped.
    static func parse(_ text: some StringProtocol) -> [(name: String, value: String)] {
        text.utf8.split(separator: UInt8(ascii: "&")).map { pair in
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = equals.map { pair[..<$0] } ?? pair[...]
            let value = equals.map { pair[pair.index(after: $0)...] } ?? pair[pair.endIndex...]
            return (name: decode(name), value: decode(value))
        }
    }

    /// `+` as space, `%XX` as that byte (a `%` without two hex digits stays as it is), then
    /// UTF-8 with replacement.
    private static func decode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < input.count,
                      let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".unicodeScalars)

    /// Percent-encodes every byte outside `A–Z a–z 0–9 - . _ ~` (for a query value).
    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output.unicodeScalars.append("%")
                output.unicodeScalars.append(hexDigits[Int(byte >> 4)])
                output.unicodeScalars.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return output
    }
}

/// Where a browser may be sent after sign-in: a path on this server, never another site
/// (OWASP Unvalidated Redirects and Forwards Cheat Sheet; an open redirector would make the
/// portal's sign-in a phishing tool, RFC 6749 §10.15).
enum LocalPath {
    /// The longest accepted path, in bytes.
    static let maximumLength = 2_048

    /// `true` when `path` starts with one `/` not followed by `/` or `\` (`//host` and `/\host`
    /// are other hosts to a browser), and holds only visible ASCII other than `\` — no scheme, no
    /// control character (browsers drop tabs and newlines, turning `/\t/host` into `//host`),
    /// no space.
    static func isSafe(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard (1...maximumLength).contains(bytes.count), bytes[0] == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }
    }
}
#endif
