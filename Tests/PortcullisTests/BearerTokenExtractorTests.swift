import HTTPTypes
import Portcullis
import Testing

@Suite("Bearer token extraction (RFC 6750 §2)")
struct BearerTokenExtractorTests {
    static func request(path: String = "/v1/models", authorization: [String] = []) -> HTTPRequest {
        var request = HTTPRequest(method: .get, scheme: "https", authority: "api.example", path: path)
        for value in authorization { request.headerFields.append(HTTPField(name: .authorization, value: value)) }
        return request
    }

    @Test(arguments: ["Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "Bearer   abc.def.ghi"])
    func headerTokenIsFoundWhateverTheSchemeCasing(value: String) throws {
        #expect(try BearerTokenExtractor().token(in: Self.request(authorization: [value])) == "abc.def.ghi")
    }

    @Test(arguments: ["a-b_c~d+e/f==", "A9.b8.c7"])
    func b64tokenCharactersAreAccepted(token: String) throws {
        #expect(try BearerTokenExtractor().token(in: Self.request(authorization: ["Bearer " + token])) == Substring(token))
    }

    struct Refused: Sendable, CustomStringConvertible {
        let authorization: [String]
        let path: String
        let code: PortcullisError.Code
        var description: String { "\(authorization) \(path) → \(code)" }
    }

    static let refused: [Refused] = [
        Refused(authorization: [], path: "/", code: .missingToken),
        Refused(authorization: ["Basic dXNlcjpwYXNz"], path: "/", code: .missingToken),
        Refused(authorization: ["Bearerabc"], path: "/", code: .missingToken),
        Refused(authorization: ["Bearer"], path: "/", code: .invalidRequest),
        Refused(authorization: ["Bearer "], path: "/", code: .invalidRequest),
        Refused(authorization: ["Bearer a", "Bearer b"], path: "/", code: .invalidRequest),
        Refused(authorization: ["Bearer a"], path: "/?access_token=b", code: .invalidRequest),
        Refused(authorization: [], path: "/?access_token=b", code: .invalidRequest),
        Refused(authorization: ["Bearer a b"], path: "/", code: .malformed),
        Refused(authorization: ["Bearer a=b"], path: "/", code: .malformed),
        Refused(authorization: ["Bearer a,Bearer b"], path: "/", code: .malformed),
        Refused(authorization: ["Bearer ä"], path: "/", code: .malformed),
    ]

    @Test(arguments: refused)
    func badCredentialsAreRefusedWithTheRightCode(_ testCase: Refused) {
        let error = #expect(throws: PortcullisError.self) {
            try BearerTokenExtractor().token(in: Self.request(path: testCase.path, authorization: testCase.authorization))
        }
        #expect(error?.code == testCase.code)
    }

    @Test func queryTokensWorkOnlyWhenEnabledAndOnlyAlone() throws {
        let extractor = BearerTokenExtractor(allowsQueryParameter: true)
        #expect(try extractor.token(in: Self.request(path: "/x?a=1&access_token=tok.en")) == "tok.en")
        let twice = #expect(throws: PortcullisError.self) {
            try extractor.token(in: Self.request(path: "/x?access_token=a&access_token=b"))
        }
        #expect(twice?.code == .invalidRequest)
        let both = #expect(throws: PortcullisError.self) {
            try extractor.token(in: Self.request(path: "/x?access_token=a", authorization: ["Bearer a"]))
        }
        #expect(both?.code == .invalidRequest)
    }

    @Test func formTokensWorkOnlyWhenEnabled() throws {
        let body = Array("access_token=tok.en&other=1".utf8)
        #expect(try BearerTokenExtractor(allowsFormBody: true).token(in: Self.request(), formBody: body) == "tok.en")
        let refused = #expect(throws: PortcullisError.self) {
            try BearerTokenExtractor().token(in: Self.request(), formBody: body)
        }
        #expect(refused?.code == .invalidRequest)
    }
}
