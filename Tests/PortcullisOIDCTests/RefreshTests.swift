import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// Refresh (RFC 6749 §6, OpenID Connect Core §12) and userinfo (§5.3) at the relying-party core,
/// against the in-memory provider of ``RelyingPartyTests``.
@Suite("Relying party: refresh and userinfo")
struct RefreshTests {
    typealias RP = RelyingPartyTests

    /// The token endpoint: codes as in ``RelyingPartyTests/standardAnswer``; refresh tokens
    /// `rt-N` answer with access token `at-(N+1)`, refresh token `rt-(N+1)`, and the ID token
    /// `refreshed(issuer, form)` makes (none when it returns nil).
    static func provider(
        signInClaims: JSONObject = ["roles": ["Admin"], "azp": "portal", "auth_time": 1_799_999_000],
        refreshed: @escaping @Sendable (TestIssuer, String) -> String? = { _, _ in nil },
        userInfo: @escaping @Sendable (_ authorization: String?) -> (Int, String, String?) = { _ in (404, "{}", nil) },
        hasUserInfoEndpoint: Bool = true, fetchesUserInfo: Bool = false
    ) throws -> RP.Fixture {
        try RP.fixture(answer: { issuer, form in
            refreshAnswer(form) { refreshed(issuer, $0) } ?? RP.standardAnswer(issuer, form, claims: signInClaims)
        }, claims: signInClaims, userInfo: userInfo, hasUserInfoEndpoint: hasUserInfoEndpoint, fetchesUserInfo: fetchesUserInfo)
    }

    /// The answer to a refresh request (`nil` for any other grant): refresh token `rt-N` gives
    /// access token `at-(N+1)`, refresh token `rt-(N+1)` and the ID token `idToken` makes for that
    /// access token (none when it returns nil); anything else is `invalid_grant`.
    static func refreshAnswer(_ form: [String: String], idToken: (String) -> String? = { _ in nil }) -> (Int, String)? {
        guard form["grant_type"] == "refresh_token", let used = form["refresh_token"] else { return nil }
        guard used.hasPrefix("rt-"), let n = Int(used.dropFirst(3)) else {
            return (400, #"{"error": "invalid_grant", "error_description": "unknown refresh token"}"#)
        }
        let accessToken = "at-\(n + 1)"
        let member = idToken(accessToken).map { #", "id_token": "\#($0)""# } ?? ""
        return (200, #"{"access_token": "\#(accessToken)", "token_type": "Bearer", "expires_in": 300, "refresh_token": "rt-\#(n + 1)"\#(member)}"#)
    }

    /// A refreshed ID token for `ada` with `at_hash` of `accessToken` and `claims` applied.
    static func idToken(_ issuer: TestIssuer, accessToken: String, _ claims: JSONObject = [:]) -> String {
        var extra: JSONObject = [
            "at_hash": .string(try! TokenHash.leftHalf(of: accessToken, algorithm: .es256, curve: nil)),
            "azp": "portal", "auth_time": 1_799_999_000, "roles": ["Viewer"],
        ]
        for member in claims { extra[member.name] = member.value }
        return try! issuer.mint(subject: "ada", extraClaims: extra, type: "JWT")
    }

    static func signIn(_ f: RP.Fixture) async throws -> SignIn {
        let pending = try await f.rp.startLogin().pending
        return try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "code-" + pending.nonce)], pending: pending)
    }

    static func roles(_ token: VerifiedToken) -> [String] {
        token.claims["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test func aRefreshedIDTokenReplacesTheRoles() async throws {
        let f = try Self.provider(refreshed: { issuer, at in Self.idToken(issuer, accessToken: at) })
        let signIn = try await Self.signIn(f)
        #expect(Self.roles(signIn.authorizationToken) == ["Admin"])
        let refreshed = try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken)
        #expect(Self.roles(refreshed.authorizationToken) == ["Viewer"])
        #expect(refreshed.refreshToken == "rt-2")
        #expect(refreshed.tokens.accessToken == "at-2")
        #expect(refreshed.idToken?.subject == "ada")
        #expect(f.endpoint.gets.isEmpty, "an ID token in the answer needs no userinfo request")
        let form = RP.query("x:?" + (f.endpoint.requests.last?.body ?? ""))
        #expect(form["grant_type"] == "refresh_token")
        #expect(form["refresh_token"] == "rt-1")
        #expect(f.endpoint.requests.last?.headers.contains { $0.0 == "Authorization" && $0.1.hasPrefix("Basic ") } == true)
    }

    @Test func withoutAnIDTokenTheClaimsComeFromUserInfo() async throws {
        let f = try Self.provider(signInClaims: ["roles": ["Admin"], "tenant": "t1"], userInfo: { authorization in
            authorization == "Bearer at-2"
                ? (200, #"{"sub": "ada", "roles": ["Viewer"], "iss": "https://evil.example", "email": "ada@example.com"}"#, "application/json; charset=utf-8")
                : (401, "{}", nil)
        })
        let signIn = try await Self.signIn(f)
        let refreshed = try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken)
        let token = refreshed.authorizationToken
        #expect(Self.roles(token) == ["Viewer"])
        #expect(token["email"]?.stringValue == "ada@example.com")
        #expect(token["tenant"] == nil, "a claim userinfo no longer releases is dropped, not kept from the ID token")
        #expect(token["iss"]?.stringValue == RP.issuerURL, "identity claims always come from the ID token")
        #expect(token.subject == "ada")
        #expect(refreshed.idToken == nil)
        let get = try #require(f.endpoint.gets.first)
        #expect(get.url.absoluteString == "https://login.example.com/userinfo")
        #expect(get.headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer at-2" })
    }

    @Test func userInfoAboutAnotherUserIsRefused() async throws {
        let f = try Self.provider(userInfo: { _ in (200, #"{"sub": "mallory", "roles": ["Admin"]}"#, "application/json") })
        let signIn = try await Self.signIn(f)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken) }
        #expect(error?.code == .invalidClaim)
        #expect(error?.claim == "sub")
        #expect(error?.expected == "ada")
    }

    @Test(arguments: [
        (401, #"{}"#, "application/json", PortcullisError.Code.accessDenied),
        (500, #"{}"#, "application/json", .fetchFailed),
        (200, #"{"roles": ["Admin"]}"#, "application/json", .missingClaim),
        (200, #"["ada"]"#, "application/json", .malformed),
        (200, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "application/jwt", .malformed),
    ])
    func userInfoFailures(status: Int, body: String, type: String, code: PortcullisError.Code) async throws {
        let f = try Self.provider(userInfo: { _ in (status, body, type) })
        let signIn = try await Self.signIn(f)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken) }
        #expect(error?.code == code)
    }

    @Test func noIDTokenAndNoUserInfoEndpointCannotReReadTheClaims() async throws {
        let f = try Self.provider(hasUserInfoEndpoint: false)
        let signIn = try await Self.signIn(f)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("cannot be re-read") == true)
    }

    @Test func aRefusedRefreshTokenIsInvalidGrant() async throws {
        let f = try Self.provider()
        let signIn = try await Self.signIn(f)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.refresh("stolen", signedIn: signIn.authorizationToken) }
        #expect(error?.code == .invalidGrant)
        #expect(error?.message.contains("unknown refresh token") == true)
    }

    /// §12.2: each rule that ties a refreshed ID token to the sign-in.
    @Test(arguments: [
        (["sub": "mallory"], PortcullisError.Code.invalidClaim, "sub"),
        (["aud": ["portal", "other"]], .invalidAudience, "aud"),
        (["azp": .null], .invalidClaim, "azp"),
        (["auth_time": 1_799_999_999], .invalidClaim, "auth_time"),
        (["nonce": "another"], .invalidClaim, "nonce"),
        (["iat": 1_700_000_000], .invalidClaim, "iat"),
    ] as [(JSONObject, PortcullisError.Code, String)])
    func aRefreshedIDTokenMustKeepTheIdentity(change: JSONObject, code: PortcullisError.Code, claim: String) async throws {
        let f = try Self.provider(refreshed: { issuer, at in
            var claims = change
            if claims["sub"] != nil {
                // `mint` takes the subject separately.
                claims["sub"] = nil
                var extra: JSONObject = ["at_hash": .string(try! TokenHash.leftHalf(of: at, algorithm: .es256, curve: nil)), "azp": "portal", "auth_time": 1_799_999_000]
                for member in claims { extra[member.name] = member.value }
                return try! issuer.mint(subject: "mallory", extraClaims: extra, type: "JWT")
            }
            return Self.idToken(issuer, accessToken: at, claims)
        })
        let signIn = try await Self.signIn(f)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken) }
        #expect(error?.code == code)
        #expect(error?.claim == claim)
    }

    @Test func aRefreshedIDTokenWithTheWrongAtHashIsRefused() async throws {
        let f = try Self.provider(refreshed: { issuer, _ in Self.idToken(issuer, accessToken: "some-other-token") })
        let signIn = try await Self.signIn(f)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.refresh("rt-1", signedIn: signIn.authorizationToken) }
        #expect(error?.claim == "at_hash")
    }

    @Test func signInWithUserInfoChecksItsSubjectAndAuthorizesWithIt() async throws {
        let good = try Self.provider(
            userInfo: { _ in (200, #"{"sub": "ada", "roles": ["Data Scientist"]}"#, "application/json") }, fetchesUserInfo: true)
        let signIn = try await Self.signIn(good)
        #expect(Self.roles(signIn.idToken.token) == ["Admin"])
        #expect(Self.roles(signIn.authorizationToken) == ["Data Scientist"])
        #expect(good.endpoint.gets.first?.headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer at-1" } == true)

        let bad = try Self.provider(userInfo: { _ in (200, #"{"sub": "eve"}"#, "application/json") }, fetchesUserInfo: true)
        let error = await #expect(throws: PortcullisError.self) { try await Self.signIn(bad) }
        #expect(error?.claim == "sub")
    }
}
