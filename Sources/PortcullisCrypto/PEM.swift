import PortcullisJOSE

/// PEM armour (RFC 7468): one labelled base64 block.
enum PEM {
    /// The labels ``CryptoKey/init(pem:)`` skips when they come before the key (OpenSSL writes an
    /// `EC PARAMETERS` block ahead of `EC PRIVATE KEY` with `ecparam -genkey`).
    private static let ignoredLabels: Set<String> = ["EC PARAMETERS"]

    /// The first key or certificate block of `text`: its format and DER bytes.
    static func decode(_ text: String) throws(PortcullisError) -> (DERFormat, [UInt8]) {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingSpaces() }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let label = armourLabel(line, prefix: "-----BEGIN ") else { continue }
            var body: [Substring] = []
            var closed = false
            while index < lines.count {
                let inner = lines[index]
                index += 1
                if inner.hasPrefix("-----END ") {
                    guard armourLabel(inner, prefix: "-----END ") == label else {
                        throw PortcullisError(.malformed, "PEM block \(label) ends with a different label")
                    }
                    closed = true
                    break
                }
                body.append(inner)
            }
            guard closed else { throw PortcullisError(.malformed, "PEM block \(label) has no END line") }
            if ignoredLabels.contains(label) { continue }
            if label == "ENCRYPTED PRIVATE KEY" || body.contains(where: { $0.hasPrefix("Proc-Type:") && $0.contains("ENCRYPTED") }) {
                throw PortcullisError(
                    .invalidKey,
                    "encrypted PEM private keys are not supported; decrypt it first (openssl pkey -in key.pem -out plain.pem)")
            }
            guard let format = DERFormat.allCases.first(where: { $0.pemLabel == label }) else {
                throw PortcullisError(.malformed, "unsupported PEM block \"\(label)\"")
            }
            if body.contains(where: { $0.contains(":") }) {
                throw PortcullisError(.malformed, "PEM headers are not supported in a \(label) block")
            }
            guard let der = Base64.decode(body.joined()) , !der.isEmpty else {
                throw PortcullisError(.malformed, "the \(label) PEM block is not valid base64")
            }
            return (format, der)
        }
        throw PortcullisError(.malformed, "no PEM block found (expected -----BEGIN PUBLIC KEY----- or similar)")
    }

    /// `der` armoured with `label`, base64 in lines of 64 characters.
    static func encode(_ der: [UInt8], label: String) -> String {
        let encoded = Array(Base64.encode(der).utf8)
        var text = "-----BEGIN \(label)-----\n"
        var start = 0
        while start < encoded.count {
            let end = min(start + 64, encoded.count)
            text += String(decoding: encoded[start..<end], as: UTF8.self) + "\n"
            start = end
        }
        return text + "-----END \(label)-----\n"
    }

    private static func armourLabel(_ line: Substring, prefix: String) -> String? {
        guard line.hasPrefix(prefix), line.hasSuffix("-----"), line.count >= prefix.count + 5 else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(5))
    }
}

private extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}

/// Standard base64 (RFC 4648 §4) with padding, as PEM uses it.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(value >> UInt32(shift) & 0x3F)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(value >> 18 & 0x3F)])
            output.append(alphabet[Int(value >> 12 & 0x3F)])
            output.append(rest == 2 ? alphabet[Int(value >> 6 & 0x3F)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes strict padded base64; `nil` for any other character or a bad length/padding.
    static func decode(_ text: String) -> [UInt8]? {
        let units = Array(text.utf8)
        guard units.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(units.count / 4 * 3)
        var index = 0
        while index < units.count {
            var value: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let unit = units[index + offset]
                let sextet: UInt32
                switch unit {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = UInt32(unit - UInt8(ascii: "A"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = UInt32(unit - UInt8(ascii: "a")) + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = UInt32(unit - UInt8(ascii: "0")) + 52
                case UInt8(ascii: "+"): sextet = 62
                case UInt8(ascii: "/"): sextet = 63
                case UInt8(ascii: "="):
                    guard index + 4 == units.count, offset >= 2 else { return nil }
                    padding += 1
                    sextet = 0
                default: return nil
                }
                if padding > 0 && unit != UInt8(ascii: "=") { return nil }
                value = value << 6 | sextet
            }
            output.append(UInt8(value >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(value >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(value & 0xFF)) }
            index += 4
        }
        return output
    }
}
