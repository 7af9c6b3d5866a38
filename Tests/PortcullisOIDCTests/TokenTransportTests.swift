import Foundation
import PortcullisJOSE
import Testing
@testable import PortcullisOIDC

/// ``URLSessionTokenTransport`` against a real HTTP server on 127.0.0.1: bounded in time and
/// size, and it never follows a redirect.
@Suite("Token endpoint transport over real HTTP", .enabled(if: mockServerAvailable, "needs python3 for the local HTTP server"))
struct TokenTransportTests {
    let transport = URLSessionTokenTransport()

    @Test func postsTheFormAndReturnsTheAnswer() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/token", status: 400, body: #"{"error": "invalid_grant"}"#, headers: ["Content-Type": "application/json"])
        let answer = try await transport.post(
            URL(string: site.url("/token"))!, body: "grant_type=authorization_code&code=x", headers: [], timeout: 5, maximumSize: 1_000)
        #expect(answer.status == 400)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"error": "invalid_grant"}"#)
        #expect(try await site.hits("/token") == 1)
    }

    /// The userinfo GET: the bearer token is sent, and a `401` with a `WWW-Authenticate`
    /// challenge comes back as an answer at once (FoundationNetworking would otherwise wait for
    /// credentials).
    @Test(arguments: ["Basic realm=\"token\"", "Bearer error=\"invalid_token\""])
    func aChallengeIsAnAnswer(challenge: String) async throws {
        let site = MockServer.shared!.site()
        try await site.set(
            "/userinfo", status: 401, body: #"{"error": "invalid_token"}"#,
            headers: ["Content-Type": "application/json", "WWW-Authenticate": challenge])
        let start = ContinuousClock.now
        let answer = try await transport.get(
            URL(string: site.url("/userinfo"))!, headers: [("Authorization", "Bearer t")], timeout: 5, maximumSize: 1_000)
        #expect(answer.status == 401)
        #expect(answer.contentType == "application/json")
        #expect(ContinuousClock.now - start < .seconds(3))
        let posted = try await transport.post(URL(string: site.url("/userinfo"))!, body: "", headers: [], timeout: 5, maximumSize: 1_000)
        #expect(posted.status == 401)
    }

    @Test func aRedirectIsNotFollowed() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/token", status: 307, headers: ["Location": site.url("/elsewhere")])
        try await site.set("/elsewhere", body: "{}")
        let answer = try await transport.post(URL(string: site.url("/token"))!, body: "", headers: [], timeout: 5, maximumSize: 1_000)
        #expect(answer.status == 307)
        #expect(try await site.hits("/elsewhere") == 0)
    }

    @Test func aSlowEndpointTimesOut() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/token", body: "{}", delay: 8)
        let start = ContinuousClock.now
        let e = await #expect(throws: PortcullisError.self) {
            try await transport.post(URL(string: site.url("/token"))!, body: "", headers: [], timeout: 1, maximumSize: 1_000)
        }
        #expect(e?.code == .fetchFailed)
        #expect(ContinuousClock.now - start < .seconds(6))
    }

    @Test func anOversizedAnswerIsRefused() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/token", body: "x", repeat: 5_000)
        let e = await #expect(throws: PortcullisError.self) {
            try await transport.post(URL(string: site.url("/token"))!, body: "", headers: [], timeout: 5, maximumSize: 1_000)
        }
        #expect(e?.code == .fetchFailed)
    }
}
