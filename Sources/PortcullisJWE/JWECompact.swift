public import PortcullisJOSE

/// A JWE in the compact serialization (RFC 7516 §7.1), parsed but **not decrypted**:
/// `BASE64URL(header) '.' BASE64URL(encrypted key) '.' BASE64URL(IV) '.' BASE64URL(ciphertext)
/// '.' BASE64URL(tag)`.
public struct JWECompact: Sendable {
    /// The protected header.
    public let header: JWEHeader
    /// The JWE Encrypted Key (empty for `dir` and `ECDH-ES`).
    public let encryptedKey: [UInt8]
    /// The JWE Initialization Vector.
    public let initializationVector: [UInt8]
    /// The JWE Ciphertext.
    public let ciphertext: [UInt8]
    /// The JWE Authentication Tag.
    public let authenticationTag: [UInt8]
    /// The Additional Authenticated Data: `ASCII(BASE64URL(UTF8(header)))` (RFC 7516 §5.2 step 14).
    public let additionalAuthenticatedData: [UInt8]

    /// `true` when `token` has the shape of a compact JWE (five segments), without decoding it.
    public static func looksLikeJWE(_ token: some StringProtocol) -> Bool {
        token.utf8.count(where: { $0 == UInt8(ascii: ".") }) == 4
    }

    /// Parses a compact JWE. Checks, in this order: at most `maxSize` bytes (`token_too_large`,
    /// before any decoding); exactly five segments; each strict, unpadded base64url (whitespace
    /// and padding refused); a non-empty header that is a JSON object in UTF-8 with unique
    /// member names and string `alg` and `enc` (RFC 7516 §5.2 steps 1–4).
    /// - Throws: `token_too_large` or `malformed`.
    public static func parse(
        _ token: String, maxSize: Int = 65_536, jsonLimits: JSONLimits = .default
    ) throws(PortcullisError) -> JWECompact {
        let size = token.utf8.count
        guard size <= maxSize else {
            throw PortcullisError(
                .tokenTooLarge, "the token is \(size) bytes, more than the maximum of \(maxSize)",
                expected: "at most \(maxSize) bytes", actual: "\(size) bytes")
        }
        let bytes = Array(token.utf8)
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 5 else {
            let hint = segments.count == 3 ? " (3 segments is a JWS)" : ""
            throw PortcullisError(.malformed, "a compact JWE has 5 segments separated by '.', this token has \(segments.count)\(hint)")
        }
        let names = ["header", "encrypted key", "initialization vector", "ciphertext", "authentication tag"]
        var decoded: [[UInt8]] = []
        for (segment, name) in zip(segments, names) {
            do {
                decoded.append(try Base64URL.decode(segment))
            } catch {
                throw PortcullisError(.malformed, "JWE \(name) segment: \(error.message)")
            }
        }
        guard !decoded[0].isEmpty else { throw PortcullisError(.malformed, "the JWE header segment is empty") }
        let object: JSONObject
        do {
            object = try JSONReader.parseObject(decoded[0], limits: jsonLimits)
        } catch {
            throw PortcullisError(.malformed, "JWE header: \(error.message)")
        }
        return JWECompact(
            header: try JWEHeader(json: object), encryptedKey: decoded[1], initializationVector: decoded[2],
            ciphertext: decoded[3], authenticationTag: decoded[4], additionalAuthenticatedData: Array(segments[0]))
    }

    private init(
        header: JWEHeader, encryptedKey: [UInt8], initializationVector: [UInt8], ciphertext: [UInt8],
        authenticationTag: [UInt8], additionalAuthenticatedData: [UInt8]
    ) {
        self.header = header
        self.encryptedKey = encryptedKey
        self.initializationVector = initializationVector
        self.ciphertext = ciphertext
        self.authenticationTag = authenticationTag
        self.additionalAuthenticatedData = additionalAuthenticatedData
    }

    /// Joins the five parts of a compact JWE (RFC 7516 §7.1); `encodedHeader` is already base64url.
    static func serialize(
        encodedHeader: [UInt8], encryptedKey: [UInt8], iv: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) -> String {
        var output = encodedHeader
        for part in [encryptedKey, iv, ciphertext, tag] {
            output.append(UInt8(ascii: "."))
            output += Base64URL.encodeToBytes(part)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
