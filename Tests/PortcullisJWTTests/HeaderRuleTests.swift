import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// `crit` (RFC 7515 §4.1.11), `b64` (RFC 7797), `typ` (RFC 8725 §3.11, RFC 9068 §2.1), and the
/// structural rules as seen through the verifier.
@Suite("Header rules")
struct HeaderRuleTests {
    private func token(header: String) throws -> (Fixture, String) {
        let fixture = Fixture()
        return (fixture, try Fixture.rawToken(header: header, payload: fixture.claims, key: fixture.signingKey, algorithm: .es256))
    }

    @Test("crit violations", arguments: [
        #"{"alg":"ES256","kid":"k1","crit":[]}"#,
        #"{"alg":"ES256","kid":"k1","crit":"exp"}"#,
        #"{"alg":"ES256","kid":"k1","crit":["alg"]}"#,
        #"{"alg":"ES256","kid":"k1","crit":["kid"]}"#,
        #"{"alg":"ES256","kid":"k1","crit":["exp"],"exp":1}"#,
        #"{"alg":"ES256","kid":"k1","crit":["exp"]}"#,
        #"{"alg":"ES256","kid":"k1","crit":[1]}"#,
        #"{"alg":"ES256","kid":"k1","crit":["b64"],"b64":false}"#,
        #"{"alg":"ES256","kid":"k1","crit":["b64"],"b64":true}"#,
    ])
    func critical(header: String) throws {
        let (fixture, token) = try token(header: header)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .unsupportedCriticalHeader)
    }

    @Test("an extension the application understands may be critical")
    func understoodCritical() throws {
        let (fixture, token) = try token(header: #"{"alg":"ES256","kid":"k1","crit":["urn:example:tenant"],"urn:example:tenant":"t1"}"#)
        var configuration = fixture.configuration()
        #expect(throws: PortcullisError.self) { try fixture.verify(token, configuration: configuration) }
        configuration.understoodCriticalHeaders = ["urn:example:tenant"]
        #expect(throws: Never.self) { try fixture.verify(token, configuration: configuration) }
    }

    @Test("b64: false is rejected for JWTs")
    func unencodedPayload() throws {
        let (fixture, token) = try token(header: #"{"alg":"ES256","kid":"k1","b64":false}"#)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .malformed)
    }

    @Test("unknown non-critical header parameters are ignored")
    func unknownHeaders() throws {
        let (fixture, token) = try token(header: #"{"alg":"ES256","kid":"k1","x-trace":{"a":[1,2]},"zip":"DEF"}"#)
        #expect(throws: Never.self) { try fixture.verify(token) }
    }

    @Test("typ matching", arguments: [
        ("at+jwt", "at+jwt", true), ("AT+JWT", "at+jwt", true), ("application/at+jwt", "at+jwt", true),
        ("at+jwt", "application/at+jwt", true), ("Application/AT+JWT", "at+JWT", true),
        ("JWT", "at+jwt", false), ("jwt", "at+jwt", false), ("at+jwt ", "at+jwt", false),
        ("secevent+jwt", "at+jwt", false),
    ])
    func type(actual: String, expected: String, accepted: Bool) throws {
        var fixture = Fixture()
        fixture.type = actual
        var configuration = fixture.configuration()
        configuration.expectedType = expected
        try expect(accepted ? nil : .invalidType) { () throws(PortcullisError) in
            _ = try fixture.verify(try fixture.token(), configuration: configuration)
        }
    }

    @Test("a missing typ fails an expected type")
    func missingType() throws {
        var fixture = Fixture()
        fixture.type = nil
        var configuration = fixture.configuration()
        configuration.expectedType = "at+jwt"
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .invalidType)
    }

    @Test("typ and kid of the wrong JSON type are malformed", arguments: [
        #"{"alg":"ES256","kid":1}"#, #"{"alg":"ES256","kid":"k1","typ":["JWT"]}"#,
    ])
    func wrongTypes(header: String) throws {
        let (fixture, token) = try token(header: header)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .malformed)
    }

    @Test("malformed shapes", arguments: [
        "", ".", "..", "a.b", "a.b.c.d", "a.b.c.d.e", "eyJhbGciOiJFUzI1NiJ9.e30.AAAA=",
        "eyJhbGciOiJFUzI1NiJ9 .e30.AAAA", "eyJhbGciOiJFUzI1NiJ9.e30.AA+A", "eyJhbGciOiJFUzI1NiJ9.e30.AA/A",
        "W10.e30.AAAA", "bnVsbA.e30.AAAA", "eyJhbGciOiJFUzI1NiJ9.W10.AAAA",
        "eyJhbGciOiJFUzI1NiIsImFsZyI6IkVTMjU2In0.e30.AAAA",
    ])
    func malformed(token: String) throws {
        let fixture = Fixture()
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .malformed)
    }

    @Test("the payload must be a JSON object with unique members")
    func payloadShape() throws {
        let fixture = Fixture()
        for payload in [#"{"sub":"a","sub":"b"}"#, "[1]", "\"text\"", "{\"sub\":\"\u{1}\"}"] {
            let input = Base64URL.encode(Array(#"{"alg":"ES256","kid":"k1"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
            let token = input + "." + Base64URL.encode(try fixture.signingKey.sign(Array(input.utf8), algorithm: .es256))
            let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
            #expect(error?.code == .malformed, "\(payload)")
        }
    }

    @Test("an oversized token is token_too_large before any decoding")
    func oversized() throws {
        let fixture = Fixture()
        var configuration = fixture.configuration()
        configuration.maximumTokenSize = 1_000
        let garbage = String(repeating: "!", count: 1_001)
        var error = #expect(throws: PortcullisError.self) { try fixture.verify(garbage, configuration: configuration) }
        #expect(error?.code == .tokenTooLarge)

        var big = fixture
        big.claims["pad"] = .string(String(repeating: "x", count: 2_000))
        error = #expect(throws: PortcullisError.self) { try big.verify(try big.token(), configuration: configuration) }
        #expect(error?.code == .tokenTooLarge)
        configuration.maximumTokenSize = 65_536
        #expect(throws: Never.self) { try big.verify(try big.token(), configuration: configuration) }
    }

    @Test("deeply nested JSON is malformed, not a crash")
    func depth() throws {
        let fixture = Fixture()
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let header = Base64URL.encode(Array(#"{"alg":"ES256","kid":"k1","x":\#(nested)}"#.utf8))
        var configuration = fixture.configuration()
        configuration.maximumTokenSize = 1 << 20
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(header + ".e30.AAAA", configuration: configuration) }
        #expect(error?.code == .malformed)
    }
}
