import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// ``SessionManager`` keeping sessions' claims current through the relying party: when refreshes
/// happen, that concurrent requests share one, and what a failure does.
@Suite("Sessions: refresh and re-read roles")
struct SessionRefreshTests {
    struct Fixture {
        let provider: RelyingPartyTests.Fixture
        let manager: SessionManager
        let store: InMemorySessionStore
        var clock: PortcullisTesting.TestClock { provider.issuer.clock }
        var refreshes: Int { provider.endpoint.requests.filter { $0.body.contains("grant_type=refresh_token") }.count }
    }

    /// Sessions on the ``RefreshTests`` provider: sign-in roles Admin, userinfo says `roles`
    /// (Viewer unless `userInfo` says otherwise); access tokens live 300 s.
    static func fixture(
        claimsMaximumAge: Double? = nil, refreshTokenAtSignIn: Bool = true,
        userInfo: @escaping @Sendable (_ authorization: String?) -> (Int, String, String?) = { _ in
            (200, #"{"sub": "ada", "roles": ["Viewer"]}"#, "application/json")
        }
    ) throws -> Fixture {
        let provider = try RelyingPartyTests.fixture(answer: { issuer, form in
            if let refresh = RefreshTests.refreshAnswer(form) { return refresh }
            let (status, body) = RelyingPartyTests.standardAnswer(issuer, form, claims: ["roles": ["Admin"]])
            return (status, refreshTokenAtSignIn ? body : body.replacingOccurrences(of: #""refresh_token": "rt-1", "#, with: ""))
        }, userInfo: userInfo)
        let store = InMemorySessionStore()
        let configuration = SessionConfiguration(
            idleTimeout: 10_000, absoluteTimeout: 100_000, refreshMargin: 60, claimsMaximumAge: claimsMaximumAge)
        let codec = try SessionCookieCodec(cookieName: "portcullis_session", current: try .generate(id: "k1"))
        let manager = SessionManager(
            configuration: configuration, codec: codec, store: store, relyingParty: provider.rp, clock: provider.issuer.clock.secondsSource)
        return Fixture(provider: provider, manager: manager, store: store)
    }

    /// Signs `ada` in and returns the session cookie's value.
    static func signIn(_ f: Fixture) async throws -> String {
        let signIn = try await RefreshTests.signIn(f.provider)
        let setCookie = try await f.manager.begin(signIn, replacing: nil).setCookie
        return SessionCookieTests.cookieValue(setCookie)
    }

    static func roles(_ session: Session?) -> [String] {
        session.map { RefreshTests.roles($0.token) } ?? []
    }

    @Test func theSessionRefreshesBeforeTheAccessTokenExpiresAndReReadsTheRoles() async throws {
        let f = try Self.fixture()
        let cookie = try await Self.signIn(f)
        let first = await f.manager.resume(cookie)
        #expect(Self.roles(first) == ["Admin"])
        #expect(first?.accessToken == "at-1" && first?.refreshToken == "rt-1")
        f.clock.advance(by: 239)
        #expect(Self.roles(await f.manager.resume(cookie)) == ["Admin"])
        #expect(f.refreshes == 0, "more than the margin (60 s) before expiry: no refresh yet")
        f.clock.advance(by: 2)
        let refreshed = await f.manager.resume(cookie)
        #expect(Self.roles(refreshed) == ["Viewer"], "the demotion is seen at the refresh")
        #expect(refreshed?.refreshToken == "rt-2" && refreshed?.accessToken == "at-2")
        #expect(f.refreshes == 1)
        let expiry = try #require(refreshed?.accessTokenExpiresAt)
        #expect(abs(expiry - (f.clock.seconds + 300)) < 0.001)
        #expect(Self.roles(await f.manager.resume(cookie)) == ["Viewer"])
        #expect(f.refreshes == 1, "the refreshed session is saved: no second refresh")
    }

    @Test func claimsMaximumAgeRefreshesWhileTheAccessTokenIsValid() async throws {
        let f = try Self.fixture(claimsMaximumAge: 30)
        let cookie = try await Self.signIn(f)
        f.clock.advance(by: 29)
        #expect(Self.roles(await f.manager.resume(cookie)) == ["Admin"])
        f.clock.advance(by: 2)
        #expect(Self.roles(await f.manager.resume(cookie)) == ["Viewer"])
        #expect(f.refreshes == 1)
    }

    @Test func concurrentRequestsShareOneRefresh() async throws {
        let f = try Self.fixture()
        let cookie = try await Self.signIn(f)
        f.clock.advance(by: 250)
        let roles = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<12 { group.addTask { Self.roles(await f.manager.resume(cookie)) } }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(roles.count == 12 && roles.allSatisfy { $0 == ["Viewer"] })
        #expect(f.refreshes == 1, "a rotated refresh token is presented once")
    }

    @Test func aRefusedRefreshEndsTheSession() async throws {
        let f = try Self.fixture(userInfo: { _ in (401, "{}", nil) })
        let cookie = try await Self.signIn(f)
        f.clock.advance(by: 250)
        #expect(await f.manager.resume(cookie) == nil)
        #expect(await f.store.count == 0, "refused: revoked on the server")
    }

    @Test func anUnreachableProviderKeepsTheSessionOnlyUntilTheAccessTokenExpires() async throws {
        let f = try Self.fixture(userInfo: { _ in (503, "{}", nil) })
        let cookie = try await Self.signIn(f)
        f.clock.advance(by: 250)
        let kept = await f.manager.resume(cookie)
        #expect(Self.roles(kept) == ["Admin"], "inside the access token's lifetime the session goes on")
        f.clock.advance(by: 60)
        #expect(await f.manager.resume(cookie) == nil, "past it, unrefreshed claims are not used")
        #expect(await f.store.count == 1, "not revoked: it may refresh once the provider answers")
    }

    @Test func withoutARefreshTokenTheSessionEndsWithTheAccessToken() async throws {
        let f = try Self.fixture(refreshTokenAtSignIn: false)
        let cookie = try await Self.signIn(f)
        f.clock.advance(by: 299)
        #expect(Self.roles(await f.manager.resume(cookie)) == ["Admin"])
        f.clock.advance(by: 2)
        #expect(await f.manager.resume(cookie) == nil)
        #expect(f.refreshes == 0)
    }
}
