/// A JWS in the compact serialization (RFC 7515 §7.1), parsed but **not verified**.
///
/// `BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)`. Parsing decodes the
/// three segments and reads the header; the signature is checked later, over ``signingInput``,
/// by the verifier.
public struct JWSCompact: Sendable {
    /// The protected header.
    public let header: JOSEHeader
    /// The decoded payload bytes (for a JWT, the UTF-8 JSON claim set).
    public let payload: [UInt8]
    /// The decoded signature bytes; may be empty (such a token fails verification).
    public let signature: [UInt8]
    /// The JWS Signing Input, `ASCII(BASE64URL(header) '.' BASE64URL(payload))` (RFC 7515 §5.2
    /// step 8): a slice of the token's bytes, not a copy.
    public let signingInput: ArraySlice<UInt8>
    /// The token's bytes; `signingInput` is a prefix.
    private let token: [UInt8]

    /// The first segment as written.
    public var encodedHeader: String {
        String(decoding: signingInput.prefix(while: { $0 != UInt8(ascii: ".") }), as: UTF8.self)
    }

    /// The second segment as written.
    public var encodedPayload: String {
        let start = signingInput.firstIndex(of: UInt8(ascii: ".")).map { $0 + 1 } ?? signingInput.endIndex
        return String(decoding: signingInput[start...], as: UTF8.self)
    }

    /// The third segment as written.
    public var encodedSignature: String {
        String(decoding: token[min(signingInput.endIndex + 1, token.count)...], as: UTF8.self)
    }

    /// The default maximum token size, 65,536 bytes (the `--max-token-size` default).
    public static let defaultMaxSize = 65_536

    /// Parses a compact JWS. Checks, in this order:
    /// 1. the token is at most `maxSize` bytes, else `token_too_large`, before any decoding;
    /// 2. exactly three segments separated by `.` (five segments is a JWE, RFC 7516 §7.1);
    /// 3. no whitespace anywhere (RFC 7515 §7.1 has none; RFC 7519 §7.2 step 1);
    /// 4. each segment is strict, unpadded base64url (RFC 7515 §2), the header not empty;
    /// 5. the header is a JSON object in UTF-8 with unique member names (RFC 7515 §5.2 steps
    ///    2–4) and a string `alg`.
    ///
    /// The payload is not read as JSON here; a JWT's claim set comes from ``payloadObject(limits:)``.
    /// - Throws: `token_too_large` or `malformed`.
    public static func parse(
        _ token: String, maxSize: Int = defaultMaxSize, jsonLimits: JSONLimits = .default
    ) throws(PortcullisError) -> JWSCompact {
        // A concrete String overload: the generic one below cannot be specialised across module
        // boundaries and would copy the token byte by byte through witness tables.
        let size = token.utf8.count
        guard size <= maxSize else { throw tooLarge(size, maxSize) }
        return try parse(bytes: Array(token.utf8), maxSize: maxSize, jsonLimits: jsonLimits)
    }

    /// Parses a compact JWS from any string type; see ``parse(_:maxSize:jsonLimits:)-(String,_,_)``.
    public static func parse(
        _ token: some StringProtocol, maxSize: Int = defaultMaxSize, jsonLimits: JSONLimits = .default
    ) throws(PortcullisError) -> JWSCompact {
        let size = token.utf8.count
        guard size <= maxSize else { throw tooLarge(size, maxSize) }
        return try parse(String(token), maxSize: maxSize, jsonLimits: jsonLimits)
    }

    /// Parses a compact JWS given as its ASCII bytes; see ``parse(_:maxSize:jsonLimits:)``.
    public static func parse(
        bytes token: [UInt8], maxSize: Int = defaultMaxSize, jsonLimits: JSONLimits = .default
    ) throws(PortcullisError) -> JWSCompact {
        guard token.count <= maxSize else { throw tooLarge(token.count, maxSize) }
        let slice = token[...]
        let span = slice.span
        // One pass: each segment is decoded up to the first byte outside the alphabet, which
        // must be the separating dot (or the end, for the signature). Anything else is
        // diagnosed precisely, off the fast path, by `diagnose`.
        guard let (headerBytes, firstDot) = Base64URL.decodePrefix(span, from: 0),
              firstDot > 0, firstDot < span.count, span[firstDot] == UInt8(ascii: "."),
              let (payload, secondDot) = Base64URL.decodePrefix(span, from: firstDot + 1),
              secondDot < span.count, span[secondDot] == UInt8(ascii: "."),
              let (signature, end) = Base64URL.decodePrefix(span, from: secondDot + 1), end == span.count
        else {
            throw diagnose(span)
        }
        let headerObject: JSONObject
        do {
            headerObject = try JSONReader.parseObject(headerBytes[...], limits: jsonLimits)
        } catch {
            throw PortcullisError(.malformed, "JOSE header: \(error.message)")
        }
        let header = try JOSEHeader(json: headerObject)
        return JWSCompact(
            header: header, payload: payload, signature: signature,
            signingInput: token[0..<secondDot], token: token)
    }

    /// Explains why a token is not three strict base64url segments: the segment count (a JWE
    /// has five), whitespace, an empty header, or the first segment that does not decode.
    private static func diagnose(_ span: Span<UInt8>) -> PortcullisError {
        var dots: [Int] = []
        var whitespace = -1
        for index in 0..<span.count {
            switch span[index] {
            case UInt8(ascii: "."): dots.append(index)
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: if whitespace < 0 { whitespace = index }
            default: break
            }
        }
        guard dots.count == 2 else {
            if dots.count == 4 {
                return PortcullisError(.malformed, "the token looks like a JWE (5 segments); a JWS has 3 segments")
            }
            return PortcullisError(.malformed, "a compact JWS has 3 segments separated by '.', this token has \(dots.count + 1)")
        }
        guard whitespace < 0 else {
            return PortcullisError(.malformed, "the token contains whitespace at offset \(whitespace)")
        }
        guard dots[0] > 0 else { return PortcullisError(.malformed, "the JOSE header segment is empty") }
        let segments = [(0, dots[0], "header"), (dots[0] + 1, dots[1], "payload"), (dots[1] + 1, span.count, "signature")]
        for (start, end, name) in segments {
            let error = Base64URL.diagnose(span.extracting(start..<end))
            if Base64URL.decodePrefix(span.extracting(start..<end), from: 0)?.end != end - start {
                return PortcullisError(.malformed, "\(name) segment: \(error.message)")
            }
        }
        return PortcullisError(.malformed, "the token is not a compact JWS")
    }

    private init(header: JOSEHeader, payload: [UInt8], signature: [UInt8], signingInput: ArraySlice<UInt8>, token: [UInt8]) {
        self.header = header
        self.payload = payload
        self.signature = signature
        self.signingInput = signingInput
        self.token = token
    }

    private static func tooLarge(_ size: Int, _ maxSize: Int) -> PortcullisError {
        PortcullisError(
            .tokenTooLarge, "the token is \(size) bytes, more than the maximum of \(maxSize)",
            expected: "at most \(maxSize) bytes", actual: "\(size) bytes")
    }

    /// Reads the payload as a JWT claim set, which must be a JSON object in UTF-8 with unique
    /// member names (RFC 7519 §7.2 steps 9–10).
    /// - Throws: `malformed`.
    public func payloadObject(limits: JSONLimits = .default) throws(PortcullisError) -> JSONObject {
        do {
            return try JSONReader.parseObject(payload[...], limits: limits)
        } catch {
            throw PortcullisError(.malformed, "JWT claims: \(error.message)")
        }
    }

    // MARK: Producing

    /// Builds a compact JWS (RFC 7515 §5.1): encodes `header` and `payload`, asks `signer` for the
    /// signature over the JWS Signing Input, and joins the three segments.
    ///
    /// - Parameters:
    ///   - header: The protected header; must carry a string `alg` (it is checked with
    ///     ``JOSEHeader/init(json:)``). Serialized compactly, members in order.
    ///   - payload: The payload bytes (for a JWT, the claim set's serialization).
    ///   - signer: Computes the signature over the ASCII bytes of the signing input.
    /// - Returns: The compact serialization.
    public static func encode(
        header: JSONObject, payload: some Collection<UInt8>,
        signer: (_ signingInput: [UInt8]) throws(PortcullisError) -> [UInt8]
    ) throws(PortcullisError) -> String {
        _ = try JOSEHeader(json: header)
        var input = Base64URL.encodeToBytes(header.serializedBytes())
        input.append(UInt8(ascii: "."))
        input.append(contentsOf: Base64URL.encodeToBytes(payload))
        let signature = try signer(input)
        input.append(UInt8(ascii: "."))
        input.append(contentsOf: Base64URL.encodeToBytes(signature))
        return String(decoding: input, as: UTF8.self)
    }
}
