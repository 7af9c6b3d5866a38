import PortcullisJOSE
import Testing

@Suite("JWSCompact (RFC 7515 §7.1)")
struct JWSCompactTests {
    /// RFC 7515 Appendix A.1 (HS256).
    static let rfc7515A1 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

    @Test("RFC 7515 A.1 parses to exactly the RFC's header and payload")
    func rfcExample() throws {
        let jws = try JWSCompact.parse(Self.rfc7515A1)
        #expect(jws.header.algorithm == "HS256")
        #expect(jws.header.type == "JWT")
        #expect(jws.header.json.names == ["typ", "alg"])
        #expect(jws.payload == Array("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}".utf8))
        #expect(jws.signature == [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
            22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ])
        let signingInput = Self.rfc7515A1.split(separator: ".").prefix(2).joined(separator: ".")
        #expect(Array(jws.signingInput) == Array(signingInput.utf8))
        #expect(jws.encodedHeader == "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9")
        #expect(jws.encodedPayload.hasPrefix("eyJpc3Mi"))
        #expect(jws.encodedSignature == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let claims = try jws.payloadObject()
        #expect(claims["iss"] == .string("joe"))
        #expect(claims["exp"]?.numberValue?.int64Value == 1_300_819_380)
        #expect(claims["http://example.com/is_root"] == .bool(true))
        // The same token given as a Substring and as bytes.
        let padded = "<" + Self.rfc7515A1 + ">"
        #expect(try JWSCompact.parse(padded.dropFirst().dropLast()).payload == jws.payload)
        #expect(try JWSCompact.parse(bytes: Array(Self.rfc7515A1.utf8)).signature == jws.signature)
    }

    static func segment(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }
    static let header = segment(#"{"alg":"HS256"}"#)
    static let payload = segment(#"{"sub":"a"}"#)

    static let malformed: [(String, String)] = [
        ("\(header).\(payload)", "2 segments"),
        ("\(header).\(payload).c2ln.c2ln", "4 segments"),
        ("\(header).\(payload).c2ln.c2ln.c2ln", "5 segments (JWE)"),
        ("\(header)", "1 segment"),
        ("", "empty"),
        ("..", "all empty"),
        (".\(payload).c2ln", "empty header"),
        ("\(header)=.\(payload).c2ln", "padding in header"),
        ("\(header).\(payload).c2ln=", "padding in signature"),
        ("\(header).\(payload).c2l+", "'+' in signature"),
        ("\(header).\(payload).c2l/", "'/' in signature"),
        ("\(header).\(payload) .c2ln", "space"),
        (" \(header).\(payload).c2ln", "leading space"),
        ("\(header).\(payload).c2ln\n", "trailing newline"),
        ("\(header)\t.\(payload).c2ln", "tab"),
        ("\(segment("[]")).\(payload).c2ln", "header is a JSON array"),
        ("\(segment("\"alg\"")).\(payload).c2ln", "header is a JSON string"),
        ("\(segment("not json")).\(payload).c2ln", "header not JSON"),
        ("\(segment(#"{"alg":"HS256","alg":"none"}"#)).\(payload).c2ln", "duplicate alg"),
        ("\(segment(#"{"typ":"JWT"}"#)).\(payload).c2ln", "no alg"),
        ("\(segment(#"{"alg":1}"#)).\(payload).c2ln", "alg not a string"),
        ("\(Base64URL.encode([0x7B, 0x22, 0xC0, 0x80, 0x22, 0x3A, 0x31, 0x7D])).\(payload).c2ln", "header not UTF-8"),
        ("\(header).\(payload)xx.c2ln", "payload 4k+1"),
        ("\(header).\(payload).c2l", "signature non-canonical"),
    ]

    @Test("malformed shapes", arguments: malformed)
    func rejects(token: String, reason: String) {
        let error = #expect(throws: PortcullisError.self, "\(reason)") { try JWSCompact.parse(token) }
        #expect(error?.code == .malformed)
    }

    @Test("messages say what is wrong", arguments: [
        ("\(header).\(payload) .c2ln", "whitespace"),
        ("\(header).\(payload).c2ln.c2ln", "4"),
        (".\(payload).c2ln", "header segment is empty"),
        ("\(header).\(payload)=.c2ln", "payload segment: invalid base64url: padding"),
        ("\(header).\(payload).c2l", "signature segment"),
    ])
    func messages(token: String, fragment: String) {
        let error = #expect(throws: PortcullisError.self) { try JWSCompact.parse(token) }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test("five segments are reported as a JWE")
    func jwe() {
        let error = #expect(throws: PortcullisError.self) { try JWSCompact.parse("a.b.c.d.e") }
        #expect(error?.message.contains("looks like a JWE (5 segments)") == true)
    }

    @Test("oversize tokens are token_too_large before any decoding, even garbage")
    func oversize() {
        let garbage = String(repeating: "!", count: 65_537)
        let error = #expect(throws: PortcullisError.self) { try JWSCompact.parse(garbage) }
        #expect(error?.code == .tokenTooLarge)
        let small = #expect(throws: PortcullisError.self) { try JWSCompact.parse("a.b.c.d.e.f", maxSize: 10) }
        #expect(small?.code == .tokenTooLarge)
        #expect(throws: PortcullisError.self) { try JWSCompact.parse(bytes: Array(garbage.utf8)) }
        let atLimit = "\(Self.header).\(Self.payload).c2ln"
        #expect((try? JWSCompact.parse(atLimit, maxSize: atLimit.utf8.count)) != nil)
    }

    @Test("an empty signature and an empty payload are syntactically allowed")
    func emptySegments() throws {
        let jws = try JWSCompact.parse("\(Self.header).\(Self.payload).")
        #expect(jws.signature.isEmpty)
        let empty = try JWSCompact.parse("\(Self.header)..c2ln")
        #expect(empty.payload.isEmpty)
        #expect(throws: PortcullisError.self) { try empty.payloadObject() }
    }

    @Test("the payload of a JWT must be a JSON object", arguments: ["[1]", "\"s\"", "{\"a\":1,\"a\":2}", "{", "42"])
    func payloadObject(json: String) throws {
        let jws = try JWSCompact.parse("\(Self.header).\(Self.segment(json)).c2ln")
        let error = #expect(throws: PortcullisError.self) { try jws.payloadObject() }
        #expect(error?.code == .malformed)
    }

    @Test("b64 is exposed, not processed")
    func b64() throws {
        let jws = try JWSCompact.parse("\(Self.segment(#"{"alg":"HS256","b64":false,"crit":["b64"]}"#)).\(Self.payload).c2ln")
        #expect(jws.header.base64URLEncodePayload == false)
    }

    @Test("encode builds a token that parses back")
    func encode() throws {
        let header = JSONObject(["alg": .string("HS256"), "typ": .string("JWT")])
        var seen: [UInt8] = []
        let token = try JWSCompact.encode(header: header, payload: Array(#"{"sub":"x"}"#.utf8)) { input in
            seen = input
            return [1, 2, 3]
        }
        let jws = try JWSCompact.parse(token)
        #expect(Array(jws.signingInput) == seen)
        #expect(jws.signature == [1, 2, 3])
        #expect(jws.header.json == header)
        #expect(try jws.payloadObject()["sub"] == .string("x"))
        #expect(token.hasPrefix(Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "."))
        #expect(throws: PortcullisError.self) {
            try JWSCompact.encode(header: JSONObject(), payload: [UInt8]()) { _ in [] }
        }
    }
}
