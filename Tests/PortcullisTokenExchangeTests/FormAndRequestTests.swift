import PortcullisJOSE
import PortcullisTokenExchange
import Testing

/// Form decoding and the RFC 8693 §2.1 parameter rules, without HTTP.
@Suite("Token exchange: form decoding and request rules")
struct FormAndRequestTests {
    static let base = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=a.b.c&subject_token_type=urn:ietf:params:oauth:token-type:jwt"

    static func request(_ text: String) throws(PortcullisError) -> TokenExchangeRequest {
        try TokenExchangeRequest(form: FormBody(Array(text.utf8)))
    }

    @Test func decodesPlusPercentAndDropsEmptyValues() throws {
        let form = try FormBody(Array("a=x+y%21&b=&&c&d=%E2%82%AC&a=2".utf8))
        #expect(form.values("a") == ["x y!", "2"])
        #expect(form.values("b").isEmpty)
        #expect(form.values("c").isEmpty)
        #expect(form.values("d") == ["€"])
        let error = #expect(throws: PortcullisError.self) { try form.single("a") }
        #expect(error?.code == .invalidRequest)
    }

    @Test(arguments: ["a=%", "a=%4", "a=%G1", "a=%C3%28", "a=%FF"])
    func refusesBadEncodings(text: String) {
        let error = #expect(throws: PortcullisError.self) { try FormBody(Array(text.utf8)) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func boundsTheNumberOfFields() {
        let text = (0...FormBody.maximumFields).map { "f\($0)=1" }.joined(separator: "&")
        let error = #expect(throws: PortcullisError.self) { try FormBody(Array(text.utf8)) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func encodingRoundTrips() throws {
        let fields = [("scope", "dataset:read:t1 x"), ("weird", "a&b=c+d%€")]
        let decoded = try FormBody(Array(FormBody.encode(fields).utf8))
        #expect(decoded.fields.map { [$0.name, $0.value] } == fields.map { [$0.0, $0.1] })
    }

    @Test func parsesAValidRequest() throws {
        let request = try Self.request(Self.base + "&resource=https://api.example/&audience=api&resource=urn:x:y&scope=a+b+a&actor_token=d.e.f&actor_token_type=urn:ietf:params:oauth:token-type:access_token")
        #expect(request.subjectToken == "a.b.c")
        #expect(request.resources == ["https://api.example/", "urn:x:y"])
        #expect(request.targets == ["https://api.example/", "urn:x:y", "api"])
        #expect(request.scopes == ["a", "b"])
        #expect(request.actorToken == "d.e.f")
        #expect(request.issuedTokenType == "urn:ietf:params:oauth:token-type:access_token")
    }

    /// Each broken request and the error it must get.
    static let broken: [(String, PortcullisError.Code)] = [
        ("subject_token=a&subject_token_type=urn:ietf:params:oauth:token-type:jwt", .invalidRequest),
        ("grant_type=password&subject_token=a&subject_token_type=urn:ietf:params:oauth:token-type:jwt", .unsupportedGrantType),
        (base + "&grant_type=urn:ietf:params:oauth:grant-type:token-exchange", .invalidRequest),
        (base + "&actor_token=x", .invalidRequest),
        (base + "&actor_token_type=urn:ietf:params:oauth:token-type:jwt", .invalidRequest),
        (base + "&resource=relative", .invalidRequest),
        (base + "&resource=https://x.example/%23frag", .invalidRequest),
        (base + "&scope=a%20%20b", .invalidRequest),
        (base + "&scope=%22quoted%22", .invalidRequest),
        (base + "&requested_token_type=urn:ietf:params:oauth:token-type:id_token", .invalidRequest),
        (base + "&client_id=a&client_id=b", .invalidRequest),
    ]

    @Test(arguments: broken)
    func refusesEachRule(text: String, code: PortcullisError.Code) {
        let error = #expect(throws: PortcullisError.self) { try Self.request(text) }
        #expect(error?.code == code)
    }
}
