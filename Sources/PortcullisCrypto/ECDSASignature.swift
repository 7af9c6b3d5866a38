import PortcullisJOSE

/// Conversions between the JOSE ECDSA signature form, raw `r‖s` of exactly twice the coordinate
/// size (RFC 7518 §3.4), and the DER `ECDSA-Sig-Value` OpenSSL uses (RFC 3279 §2.2.3).
enum ECDSASignature {
    /// The group order n of each curve, big-endian, as long as one coordinate.
    static func order(of curve: JWKCurve) -> [UInt8]? {
        switch curve {
        case .p256: p256Order
        case .p384: p384Order
        case .p521: p521Order
        default: nil
        }
    }

    private static let p256Order = hexBytes("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
    private static let p384Order = hexBytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973")
    private static let p521Order = hexBytes(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409")

    /// The DER form of a raw `r‖s` signature, or `nil` when it is not exactly `2 × size` bytes or
    /// when r or s is 0 or ≥ n. The range check happens here, before OpenSSL sees the signature,
    /// so a verifier that forgot it (CVE-2022-21449) cannot be reached.
    static func der(fromRaw raw: some Collection<UInt8>, curve: JWKCurve) -> [UInt8]? {
        let size = curve.coordinateByteCount
        guard raw.count == 2 * size, let n = order(of: curve) else { return nil }
        let bytes = raw as? [UInt8] ?? Array(raw)
        guard isInRange(bytes, from: 0, size: size, below: n),
              isInRange(bytes, from: size, size: size, below: n)
        else { return nil }
        // One allocation: SEQUENCE { INTEGER r, INTEGER s }, each minimal with a sign byte.
        let rStart = firstSignificant(bytes, from: 0, size: size)
        let sStart = firstSignificant(bytes, from: size, size: size)
        let rPad = bytes[rStart] & 0x80 != 0 ? 1 : 0
        let sPad = bytes[sStart] & 0x80 != 0 ? 1 : 0
        let rLength = size - rStart + rPad
        let sLength = 2 * size - sStart + sPad
        let body = 4 + rLength + sLength
        var der: [UInt8] = []
        der.reserveCapacity(body + 3)
        der.append(0x30)
        if body >= 0x80 { der.append(0x81) }
        der.append(UInt8(truncatingIfNeeded: body))
        der.append(0x02)
        der.append(UInt8(truncatingIfNeeded: rLength))
        if rPad == 1 { der.append(0) }
        der.append(contentsOf: bytes[rStart..<size])
        der.append(0x02)
        der.append(UInt8(truncatingIfNeeded: sLength))
        if sPad == 1 { der.append(0) }
        der.append(contentsOf: bytes[sStart..<(2 * size)])
        return der
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

    /// 0 < value < n for the `size` big-endian bytes of `bytes` at `start`.
    private static func isInRange(_ bytes: [UInt8], from start: Int, size: Int, below n: [UInt8]) -> Bool {
        var isZero = true
        for index in 0..<size where bytes[start + index] != 0 {
            isZero = false
            break
        }
        guard !isZero else { return false }
        for index in 0..<size where bytes[start + index] != n[index] {
            return bytes[start + index] < n[index]
        }
        return false  // equal to n
    }

    /// The index of the first non-zero byte of the value at `start` (its last byte if all are zero).
    private static func firstSignificant(_ bytes: [UInt8], from start: Int, size: Int) -> Int {
        var index = start
        while index < start + size - 1 && bytes[index] == 0 { index += 1 }
        return index
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
