import HTTPTypes
import Portcullis
import Testing

@Suite("Reason code → status and RFC 6750 challenge")
struct ResponseTableTests {
    @Test(arguments: [
        (PortcullisError.Code.missingToken, 401), (.invalidRequest, 400), (.requestTooLarge, 413),
        (.insufficientScope, 403), (.accessDenied, 403), (.rateLimited, 429), (.quotaExceeded, 429),
        (.cryptoFailure, 500), (.fetchFailed, 503), (.expired, 401), (.malformed, 401), (.keyNotFound, 401), (.invalidAudience, 401),
        (.decryptionFailed, 401), (.tokenTooLarge, 401),
    ])
    func everyCodeHasAStatus(code: PortcullisError.Code, status: Int) {
        #expect(ResponseTable.disposition(for: code).status.code == status)
    }

    @Test func tokenFailuresChallengeWithInvalidTokenAndADescription() {
        let refusal = Refusal(PortcullisError(.expired, "the token expired 3 minutes ago"), realm: "api")
        #expect(refusal.response.headerFields[.wwwAuthenticate]
            == "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"the token expired 3 minutes ago\"")
        #expect(refusal.response.headerFields[.contentType] == "application/json")
        #expect(String(decoding: refusal.body, as: UTF8.self)
            == "{\"error\":\"expired\",\"message\":\"the token expired 3 minutes ago\"}")
    }

    @Test func missingTokenGetsABareChallenge() {
        let refusal = Refusal(PortcullisError(.missingToken), realm: "completions")
        #expect(refusal.response.headerFields[.wwwAuthenticate] == "Bearer realm=\"completions\"")
    }

    @Test func insufficientScopeNamesTheScopes() {
        let refusal = Refusal(PortcullisError(.insufficientScope, "needs more"), realm: "api", requiredScopes: ["a", "b:c"])
        #expect(refusal.response.headerFields[.wwwAuthenticate]
            == "Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"needs more\", scope=\"a b:c\"")
    }

    @Test func accessDeniedAndRateLimitsSendNoChallenge() {
        #expect(Refusal(PortcullisError(.accessDenied), realm: "api").response.headerFields[.wwwAuthenticate] == nil)
        let limited = Refusal(PortcullisError(.rateLimited), realm: "api", retryAfter: 7)
        #expect(limited.response.headerFields[.wwwAuthenticate] == nil)
        #expect(limited.response.headerFields[.retryAfter] == "7")
    }

    @Test func descriptionsAreSanitizedToTheCharactersRFC6750Allows() {
        let refusal = Refusal(PortcullisError(.malformed, "bad \"quote\" and \\ and é\nnewline"), realm: "r\"x")
        let challenge = refusal.response.headerFields[.wwwAuthenticate] ?? ""
        #expect(challenge == "Bearer realm=\"r'x\", error=\"invalid_token\", error_description=\"bad 'quote' and / and ??newline\"")
    }
}
