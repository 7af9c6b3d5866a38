import PortcullisJOSE

/// Conversions between the JOSE ECDSA signature form, raw `r‖s` of exactly twice the coordinate
/// size (RFC 7518 §3.4), and the DER `ECDSA-Sig-Value` OpenSSL uses (RFC 3279 §2.2.3).
enum ECDSASignature {
    /// The group order n of each curve, big-endian, as long as one coordinate.
    static func order(of curve: JWKCurve) -> [UInt8]? {
        switch curve {
        case .p256: hexBytes("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
        case .p384: hexBytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973")
        case .p521: hexBytes(
            "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409")
        default: nil
        }
    }

    /// The DER form of a raw `r‖s` signature, or `nil` when it is not exactly `2 × size` bytes or
    /// when r or s is 0 or ≥ n. The range check happens here, before OpenSSL sees the signature,
    /// so a verifier that forgot it (CVE-2022-21449) cannot be reached.
    static func der(fromRaw raw: some Collection<UInt8>, curve: JWKCurve) -> [UInt8]? {
        let size = curve.coordinateByteCount
        guard raw.count == 2 * size, let n = order(of: curve) else { return nil }
        let bytes = Array(raw)
        let r = bytes[0..<size]
        let s = bytes[size...]
        guard isInRange(r, below: n), isInRange(s, below: n) else { return nil }
        let body = integer(r) + integer(s)
        return [0x30] + length(body.count) + body
    }

    /// The raw `r‖s` form (each left-padded to `size` bytes) of a DER signature from OpenSSL.
    static func raw(fromDER der: [UInt8], curve: JWKCurve) -> [UInt8]? {
        let size = curve.coordinateByteCount
        var reader = DERReader(bytes: der)
        guard let sequence = reader.read(tag: 0x30), reader.isAtEnd else { return nil }
        var inner = DERReader(bytes: sequence)
        guard let r = inner.read(tag: 0x02), let s = inner.read(tag: 0x02), inner.isAtEnd,
              let paddedR = leftPad(r, to: size), let paddedS = leftPad(s, to: size)
        else { return nil }
        return paddedR + paddedS
    }

    /// 0 < value < n, both big-endian of equal length.
    private static func isInRange(_ value: ArraySlice<UInt8>, below n: [UInt8]) -> Bool {
        guard value.contains(where: { $0 != 0 }) else { return false }
        for (a, b) in zip(value, n) where a != b { return a < b }
        return false  // equal to n
    }

    /// A DER INTEGER holding the unsigned big-endian `magnitude`.
    private static func integer(_ magnitude: ArraySlice<UInt8>) -> [UInt8] {
        var content = Array(magnitude.drop(while: { $0 == 0 }))
        if content.isEmpty || content[0] & 0x80 != 0 { content.insert(0, at: 0) }
        return [0x02] + length(content.count) + content
    }

    private static func length(_ count: Int) -> [UInt8] {
        count < 0x80 ? [UInt8(count)] : [0x81, UInt8(truncatingIfNeeded: count)]
    }

    private static func leftPad(_ integer: [UInt8], to size: Int) -> [UInt8]? {
        let magnitude = Array(integer.drop(while: { $0 == 0 }))
        guard magnitude.count <= size else { return nil }
        return [UInt8](repeating: 0, count: size - magnitude.count) + magnitude
    }
}

/// A minimal reader of DER tag-length-value items (definite lengths up to two length bytes).
private struct DERReader {
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func read(tag: UInt8) -> [UInt8]? {
        guard position + 2 <= bytes.count, bytes[position] == tag else { return nil }
        var cursor = position + 1
        var length = Int(bytes[cursor])
        cursor += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 2, cursor + count <= bytes.count else { return nil }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
        }
        guard length <= bytes.count - cursor else { return nil }
        position = cursor + length
        return Array(bytes[cursor..<position])
    }
}

/// Bytes from a hexadecimal string of even length (constants only).
func hexBytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var high: UInt8?
    for unit in hex.utf8 {
        let nibble: UInt8
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = unit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = unit - UInt8(ascii: "A") + 10
        default: continue
        }
        if let h = high {
            result.append(h << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    return result
}
