import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// A token endpoint in memory: records each request, answers with `respond`.
final class FakeTokenEndpoint: TokenEndpointTransport, @unchecked Sendable {
    // @unchecked: `requests` is guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [(body: String, headers: [(String, String)])] = []
    private var recordedGets: [(url: URL, headers: [(String, String)])] = []
    let respond: @Sendable (_ form: [String: String]) -> (Int, String)
    /// The userinfo answer: status, body, content type.
    let userInfo: @Sendable (_ authorization: String?) -> (Int, String, String?)

    init(
        respond: @escaping @Sendable (_ form: [String: String]) -> (Int, String),
        userInfo: @escaping @Sendable (_ authorization: String?) -> (Int, String, String?) = { _ in (404, "{}", nil) }
    ) {
        self.respond = respond
        self.userInfo = userInfo
    }

    var requests: [(body: String, headers: [(String, String)])] { lock.withLock { recorded } }
    var gets: [(url: URL, headers: [(String, String)])] { lock.withLock { recordedGets } }

    func get(_ url: URL, headers: [(String, String)], timeout: Double, maximumSize: Int) async throws(PortcullisError) -> (status: Int, body: [UInt8], contentType: String?) {
        lock.withLock { recordedGets.append((url, headers)) }
        let (status, text, type) = userInfo(headers.first { $0.0 == "Authorization" }?.1)
        return (status, Array(text.utf8), type)
    }

    func post(_ url: URL, body: String, headers: [(String, String)], timeout: Double, maximumSize: Int) async throws(PortcullisError) -> (status: Int, body: [UInt8]) {
        lock.withLock { recorded.append((body, headers)) }
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            form[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        let (status, text) = respond(form)
        return (status, Array(text.utf8))
    }
}

/// The relying-party flow against an in-memory provider whose ID tokens come from ``TestIssuer``.
@Suite("Relying party: authorization request and callback")
struct RelyingPartyTests {
    static let issuerURL = "https://login.example.com"
    static let clientID = "portal"

    struct Fixture {
        let issuer: TestIssuer
        let rp: RelyingParty
        let endpoint: FakeTokenEndpoint
    }

    /// A relying party whose token endpoint answers with an ID token made by `idToken(form, issuer)`.
    static func fixture(
        authentication: RelyingPartyConfiguration.ClientAuthentication = .clientSecretBasic("s3cret"),
        answer: (@Sendable (TestIssuer, [String: String]) -> (Int, String))? = nil,
        claims: JSONObject = JSONObject(),
        userInfo: @escaping @Sendable (_ authorization: String?) -> (Int, String, String?) = { _ in (404, "{}", nil) },
        hasUserInfoEndpoint: Bool = true, fetchesUserInfo: Bool = false
    ) throws -> Fixture {
        let issuer = try TestIssuer(issuer: issuerURL, audience: clientID)
        var document: JSONObject = [
            "issuer": .string(issuerURL), "jwks_uri": "https://login.example.com/jwks",
            "authorization_endpoint": "https://login.example.com/authorize?tenant=a",
            "token_endpoint": "https://login.example.com/token", "end_session_endpoint": "https://login.example.com/logout",
        ]
        if hasUserInfoEndpoint { document["userinfo_endpoint"] = "https://login.example.com/userinfo" }
        let metadata = try ProviderMetadata(json: document)
        let provider = try OIDCProvider(metadata: metadata)
        var validator = IDTokenValidator(issuer: issuerURL, clientID: clientID, verifier: try issuer.verifier())
        validator.clock = issuer.clock.now
        let endpoint = FakeTokenEndpoint(respond: { form in
            if let answer { return answer(issuer, form) }
            return standardAnswer(issuer, form, claims: claims)
        }, userInfo: userInfo)
        var configuration = RelyingPartyConfiguration(
            clientID: clientID, clientAuthentication: authentication, redirectURI: "https://portal.example.com/callback")
        configuration.fetchesUserInfo = fetchesUserInfo
        let rp = RelyingParty(
            provider: provider, configuration: configuration, validator: validator, transport: endpoint,
            clock: issuer.clock.secondsSource)
        return Fixture(issuer: issuer, rp: rp, endpoint: endpoint)
    }

    /// The nonce the code stands for: tests encode it into the code as `code-<nonce>`.
    static func standardAnswer(_ issuer: TestIssuer, _ form: [String: String], claims: JSONObject = JSONObject()) -> (Int, String) {
        let nonce = String((form["code"] ?? "").dropFirst("code-".count))
        var extra: JSONObject = ["nonce": .string(nonce), "at_hash": .string(try! TokenHash.leftHalf(of: "at-1", algorithm: .es256, curve: nil))]
        for member in claims { extra[member.name] = member.value }
        let idToken = try! issuer.mint(subject: "ada", extraClaims: extra, type: "JWT")
        return (200, #"{"access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "refresh_token": "rt-1", "id_token": "\#(idToken)"}"#)
    }

    static func query(_ url: String) -> [String: String] {
        Dictionary((URLComponents(string: url)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    @Test func authorizationRequestCarriesPKCEStateNonceAndOptions() async throws {
        let f = try Self.fixture()
        let options = AuthorizationOptions(prompt: "login", maxAge: 300, acrValues: ["urn:mfa", "urn:pwd"])
        let (url, pending) = try await f.rp.startLogin(options: options, returnTo: "/models")
        let items = Self.query(url)
        #expect(url.hasPrefix("https://login.example.com/authorize?tenant=a&response_type=code&"))
        #expect(items["client_id"] == Self.clientID)
        #expect(items["redirect_uri"] == "https://portal.example.com/callback")
        #expect(items["scope"] == "openid profile")
        #expect(items["state"] == pending.state)
        #expect(items["nonce"] == pending.nonce)
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["code_challenge"] == PKCE.challenge(for: pending.codeVerifier))
        #expect(items["prompt"] == "login")
        #expect(items["max_age"] == "300")
        #expect(items["acr_values"] == "urn:mfa urn:pwd")
        #expect(pending.codeVerifier.count == 43)
        #expect(pending.returnTo == "/models")
        let (_, second) = try await f.rp.startLogin()
        #expect(second.state != pending.state && second.nonce != pending.nonce && second.codeVerifier != pending.codeVerifier)
    }

    /// RFC 7636 Appendix B.
    @Test func pkceS256Vector() {
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    static func begin(_ f: Fixture) async throws -> PendingLogin {
        try await f.rp.startLogin().pending
    }

    @Test func callbackExchangesTheCodeWithClientSecretBasic() async throws {
        let f = try Self.fixture()
        let pending = try await Self.begin(f)
        let signIn = try await f.rp.finishLogin(
            callback: [("code", "code-" + pending.nonce), ("state", pending.state), ("iss", Self.issuerURL)], pending: pending)
        #expect(signIn.idToken.subject == "ada")
        #expect(signIn.tokens.accessToken == "at-1")
        let request = try #require(f.endpoint.requests.first)
        let form = Self.query("x:?" + request.body)
        #expect(form["grant_type"] == "authorization_code")
        #expect(form["code_verifier"] == pending.codeVerifier)
        #expect(form["redirect_uri"] == "https://portal.example.com/callback")
        #expect(form["client_secret"] == nil)
        let basic = Data("portal:s3cret".utf8).base64EncodedString()
        #expect(request.headers.contains { $0.0 == "Authorization" && $0.1 == "Basic \(basic)" })
    }

    @Test func clientSecretPostSendsTheSecretInTheBody() async throws {
        let f = try Self.fixture(authentication: .clientSecretPost("p&ss word"))
        let pending = try await Self.begin(f)
        _ = try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "code-" + pending.nonce)], pending: pending)
        let request = try #require(f.endpoint.requests.first)
        #expect(request.body.contains("client_id=portal&client_secret=p%26ss%20word"))
        #expect(!request.headers.contains { $0.0 == "Authorization" })
    }

    @Test(arguments: [
        ([("code", "c")], PortcullisError.Code.invalidRequest),
        ([("state", "forged"), ("code", "c")], .invalidRequest),
        ([("state", "STATE"), ("state", "STATE"), ("code", "c")], .invalidRequest),
        ([("state", "STATE")], .invalidRequest),
        ([("state", "STATE"), ("iss", "https://evil.example"), ("code", "c")], .invalidIssuer),
        ([("state", "STATE"), ("error", "access_denied"), ("error_description", "user said no")], .accessDenied),
        ([("state", "STATE"), ("error", "login_required")], .accessDenied),
        ([("state", "STATE"), ("error", "server_error")], .invalidRequest),
        ([("error", "access_denied")], .accessDenied),
        ([("state", "forged"), ("error", "access_denied")], .invalidRequest),
    ])
    func refusedCallbacks(_ parameters: [(String, String)], code: PortcullisError.Code) async throws {
        let f = try Self.fixture()
        let pending = try await Self.begin(f)
        let callback = parameters.map { (name: $0.0, value: $0.1 == "STATE" ? pending.state : $0.1) }
        let e = await #expect(throws: PortcullisError.self) { try await f.rp.finishLogin(callback: callback, pending: pending) }
        #expect(e?.code == code)
        #expect(f.endpoint.requests.isEmpty)
    }

    @Test func providerErrorTextIsKeptPrintable() async throws {
        let f = try Self.fixture()
        let pending = try await Self.begin(f)
        let e = await #expect(throws: PortcullisError.self) {
            try await f.rp.finishLogin(callback: [("state", pending.state), ("error", "access_denied"), ("error_description", "no\u{7}<b>")], pending: pending)
        }
        #expect(e?.message == "the provider refused the sign-in: access_denied: no<b>")
    }

    @Test func noPendingLoginOrAnExpiredOneIsRefused() async throws {
        let f = try Self.fixture()
        let pending = try await Self.begin(f)
        let none = await #expect(throws: PortcullisError.self) { try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "c")], pending: nil) }
        #expect(none?.code == .invalidRequest)
        f.issuer.clock.advance(by: 601)
        let late = await #expect(throws: PortcullisError.self) { try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "c")], pending: pending) }
        #expect(late?.code == .invalidRequest)
        #expect(f.endpoint.requests.isEmpty)
    }

    @Test func wrongNonceInTheIDTokenIsRefused() async throws {
        let f = try Self.fixture()
        let pending = try await Self.begin(f)
        let e = await #expect(throws: PortcullisError.self) {
            try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "code-another-nonce")], pending: pending)
        }
        #expect(e?.code == .invalidClaim)
        #expect(e?.claim == "nonce")
    }

    @Test func atHashMismatchAndMaxAgeAreChecked() async throws {
        let f = try Self.fixture(claims: ["at_hash": "AAAAAAAAAAAAAAAAAAAAAA"])
        let pending = try await Self.begin(f)
        let e = await #expect(throws: PortcullisError.self) {
            try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "code-" + pending.nonce)], pending: pending)
        }
        #expect(e?.claim == "at_hash")
        let g = try Self.fixture()
        let aged = try await g.rp.startLogin(options: AuthorizationOptions(maxAge: 60)).pending
        let missing = await #expect(throws: PortcullisError.self) {
            try await g.rp.finishLogin(callback: [("state", aged.state), ("code", "code-" + aged.nonce)], pending: aged)
        }
        #expect(missing?.code == .missingClaim)
        #expect(missing?.claim == "auth_time")
    }

    @Test(arguments: [
        (400, #"{"error": "invalid_grant", "error_description": "code already used"}"#, PortcullisError.Code.invalidRequest),
        (500, #"{"error": "server_error"}"#, .fetchFailed),
        (401, "", .invalidRequest),
        (200, "<html>", .fetchFailed),
        (200, #"{"access_token": "a", "token_type": "Bearer"}"#, .malformed),
        (200, #"{"access_token": "a", "token_type": "mac", "id_token": "x"}"#, .malformed),
    ])
    func tokenEndpointAnswers(status: Int, body: String, code: PortcullisError.Code) async throws {
        let f = try Self.fixture(answer: { _, _ in (status, body) })
        let pending = try await Self.begin(f)
        let e = await #expect(throws: PortcullisError.self) {
            try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "c")], pending: pending)
        }
        #expect(e?.code == code)
    }

    @Test func pendingLoginsAreSingleUseAndExpire() async throws {
        let clock = PortcullisTesting.TestClock()
        let store = PendingLoginStore(lifetime: 600, capacity: 2, clock: clock.secondsSource)
        let login = PendingLogin(state: "s", nonce: "n", codeVerifier: "v", options: AuthorizationOptions(), createdAt: clock.seconds, returnTo: "/")
        let binding = try await store.insert(login)
        #expect(await store.take(binding: binding) == login)
        #expect(await store.take(binding: binding) == nil)
        let late = try await store.insert(login)
        clock.advance(by: 601)
        #expect(await store.take(binding: late) == nil)
        _ = try await store.insert(login)
        _ = try await store.insert(login)
        _ = try await store.insert(login)
        #expect(await store.count <= 2)
    }

    @Test func endSessionURL() async throws {
        let f = try Self.fixture()
        let url = try #require(await f.rp.endSessionURL(idTokenHint: "eyJ.x.y", postLogoutRedirectURI: "https://portal.example.com/"))
        let items = Self.query(url)
        #expect(url.hasPrefix("https://login.example.com/logout?"))
        #expect(items["id_token_hint"] == "eyJ.x.y")
        #expect(items["post_logout_redirect_uri"] == "https://portal.example.com/")
        #expect(items["client_id"] == Self.clientID)
    }
}
