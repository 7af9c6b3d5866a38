import PortcullisJOSE
import Testing

@Suite("JOSEHeader (RFC 7515 §4)")
struct JOSEHeaderTests {
    func header(_ text: String) throws -> JOSEHeader {
        try JOSEHeader(json: JSONReader.parseObject(text))
    }

    @Test("reads the registered parameters")
    func reads() throws {
        let header = try header(#"{"alg":"RS256","typ":"at+jwt","cty":"JWT","kid":"k1","crit":["exp"],"exp":1,"b64":false}"#)
        #expect(header.algorithm == "RS256")
        #expect(header.type == "at+jwt")
        #expect(header.contentType == "JWT")
        #expect(header.keyID == "k1")
        #expect(header.critical == ["exp"])
        #expect(header.base64URLEncodePayload == false)
        #expect(header.riskyParameters.isEmpty)
    }

    @Test("defaults: b64 true, optional parameters nil")
    func defaults() throws {
        let header = try header(#"{"alg":"HS256"}"#)
        #expect(header.base64URLEncodePayload)
        #expect(header.type == nil && header.contentType == nil && header.keyID == nil && header.critical == nil)
    }

    @Test("dangerous parameters are exposed for inspection")
    func risky() throws {
        let header = try header(#"{"alg":"RS256","jku":"https://evil","x5u":"https://x","jwk":{"kty":"oct"},"x5c":["MII"],"x5t":"a","x5t#S256":"b"}"#)
        #expect(header.jwkSetURL == "https://evil")
        #expect(header.x509URL == "https://x")
        #expect(header.embeddedJWK?.objectValue?["kty"] == .string("oct"))
        #expect(header.x509CertificateChain?.arrayValue?.count == 1)
        #expect(header.x509SHA1Thumbprint == .string("a"))
        #expect(header.x509SHA256Thumbprint == .string("b"))
        #expect(header.riskyParameters == ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256"])
    }

    static let malformed: [(String, String)] = [
        (#"{}"#, "alg missing"),
        (#"{"typ":"JWT"}"#, "alg missing with other members"),
        (#"{"alg":null}"#, "alg null"),
        (#"{"alg":256}"#, "alg number"),
        (#"{"alg":["HS256"]}"#, "alg array"),
        (#"{"alg":"HS256","typ":1}"#, "typ number"),
        (#"{"alg":"HS256","cty":true}"#, "cty boolean"),
        (#"{"alg":"HS256","kid":{}}"#, "kid object"),
        (#"{"alg":"HS256","kid":null}"#, "kid null"),
        (#"{"alg":"HS256","crit":"exp"}"#, "crit string"),
        (#"{"alg":"HS256","crit":[1]}"#, "crit with a number"),
        (#"{"alg":"HS256","b64":"false"}"#, "b64 string"),
        (#"{"alg":"HS256","b64":0}"#, "b64 number"),
    ]

    @Test("wrong types are malformed", arguments: malformed)
    func rejects(text: String, reason: String) {
        let error = #expect(throws: PortcullisError.self, "\(reason)") { try header(text) }
        #expect(error?.code == .malformed)
    }

    static let criticalCases: [(String, Set<String>, String?)] = [
        (#"{"alg":"HS256"}"#, [], nil),
        (#"{"alg":"HS256","crit":["exp"],"exp":1}"#, ["exp"], nil),
        (#"{"alg":"HS256","crit":["b64"],"b64":true}"#, ["b64"], nil),
        (#"{"alg":"HS256","crit":[]}"#, ["exp"], "crit"),
        (#"{"alg":"HS256","crit":["exp"],"exp":1}"#, [], "exp"),
        (#"{"alg":"HS256","crit":["exp"]}"#, ["exp"], "exp"),
        (#"{"alg":"HS256","crit":["exp","exp"],"exp":1}"#, ["exp"], "exp"),
        (#"{"alg":"HS256","crit":["alg"]}"#, ["alg"], "alg"),
        (#"{"alg":"HS256","crit":["kid"],"kid":"a"}"#, ["kid"], "kid"),
        (#"{"alg":"HS256","crit":["x5t#S256"],"x5t#S256":"a"}"#, ["x5t#S256"], "x5t#S256"),
        (#"{"alg":"HS256","crit":["crit"]}"#, ["crit"], "crit"),
        (#"{"alg":"HS256","crit":["exp","zip"],"exp":1,"zip":"DEF"}"#, ["exp"], "zip"),
    ]

    @Test("crit rules (RFC 7515 §4.1.11)", arguments: criticalCases)
    func critical(text: String, understood: Set<String>, offending: String?) throws {
        let header = try header(text)
        if let offending {
            let error = #expect(throws: PortcullisError.self) { try header.validateCritical(understood: understood) }
            #expect(error?.code == .unsupportedCriticalHeader)
            #expect(error?.claim == offending)
            #expect(error?.message.contains(offending) == true)
        } else {
            #expect(throws: Never.self) { try header.validateCritical(understood: understood) }
        }
    }
}
