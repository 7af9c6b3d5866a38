import Foundation
import HTTPTypes
import Logging
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import PortcullisTokenExchange
import Testing

/// The framework-neutral handler: statuses, headers and bodies without any HTTP server.
@Suite("Token exchange: the framework-neutral handler")
struct ServiceHandlerTests {
    static let issuer = "https://exchange.example"

    struct Fixture {
        let service: TokenExchangeService
        let partner: TestIssuer
        let logs: RecordingLogHandler.Store
    }

    static func fixture(verifier: (any TokenVerifying)? = nil) throws -> Fixture {
        let partner = try TestIssuer(issuer: "https://idp.partner.example", audience: issuer)
        var rules = VerifierConfiguration(algorithms: [.es256], issuers: [partner.issuer], audiences: [issuer, issuer + "/oauth2/token"])
        rules.requiredClaims = ["sub"]
        rules.clock = partner.clock.now
        var configuration = TokenExchangeConfiguration(issuer: issuer)
        configuration.clock = partner.clock.now
        let logs = RecordingLogHandler.Store()
        let service = try TokenExchangeService(
            configuration: configuration,
            clients: [try ExchangeClient(id: "app", credential: .secret("pw"), tenant: "t1", allowedScopes: ["dataset:read:t1"])],
            subjectVerifier: verifier ?? JWTVerifier(keys: try partner.keySet(), configuration: rules),
            policy: try ExchangePolicy(audiences: ["https://api.example"]), keys: try ExchangeSigningKeys(),
            logger: Logger(label: "t") { _ in RecordingLogHandler(store: logs) })
        return Fixture(service: service, partner: partner, logs: logs)
    }

    static func post(_ fields: [(String, String)], authorization: String? = "Basic " + Data("app:pw".utf8).base64EncodedString()) -> (HTTPRequest, [UInt8]) {
        var head = HTTPRequest(method: .post, scheme: "https", authority: "exchange.example", path: "/oauth2/token")
        head.headerFields[.contentType] = "application/x-www-form-urlencoded"
        if let authorization { head.headerFields[.authorization] = authorization }
        return (head, Array(FormBody.encode(fields).utf8))
    }

    static func json(_ response: TokenEndpointResponse) throws -> JSONObject {
        try JSONReader.parseObject(response.body, limits: .default)
    }

    static func fields(_ token: String) -> [(String, String)] {
        [("grant_type", TokenExchangeURI.grantType), ("subject_token", token), ("subject_token_type", TokenExchangeURI.accessToken)]
    }

    @Test func issuesAShortLivedTokenNeverOutlivingTheSubject() async throws {
        let fixture = try Self.fixture()
        let (head, body) = Self.post(Self.fields(try fixture.partner.mint(subject: "alice", lifetime: 120)))
        let response = await fixture.service.handle(head, body: body)
        #expect(response.head.status == .ok)
        #expect(response.head.headerFields[.cacheControl] == "no-store")
        let json = try Self.json(response)
        #expect(json["expires_in"] == .number(JSONNumber(120)))
        #expect(json["scope"] == "dataset:read:t1")
        let verifier = IssuedTokenVerifier(keys: fixture.service.keys, issuer: Self.issuer, audience: "https://api.example", clock: fixture.partner.clock.now)
        let token = try await verifier.verifyToken(Substring(json["access_token"]?.stringValue ?? ""))
        #expect(token.subject == "alice")
        #expect(token["tenant"] == "t1")
        #expect(token["act"] == .object(["sub": "app"]))
        #expect(fixture.logs.records.last?.metadata["outcome"] == "issued")
    }

    @Test func invalidClientIs401AndChallengesOnlyBasic() async throws {
        let fixture = try Self.fixture()
        let token = try fixture.partner.mint(subject: "alice")
        let (basicHead, basicBody) = Self.post(Self.fields(token), authorization: "Basic " + Data("app:nope".utf8).base64EncodedString())
        let basic = await fixture.service.handle(basicHead, body: basicBody)
        #expect(basic.head.status == .unauthorized)
        #expect(basic.head.headerFields[.wwwAuthenticate]?.hasPrefix("Basic realm=\"https://exchange.example\"") == true)
        #expect(try Self.json(basic)["error"] == "invalid_client")
        let (postHead, postBody) = Self.post(Self.fields(token) + [("client_id", "app"), ("client_secret", "nope")], authorization: nil)
        let post = await fixture.service.handle(postHead, body: postBody)
        #expect(post.head.status == .unauthorized)
        #expect(post.head.headerFields[.wwwAuthenticate] == nil)
    }

    @Test func methodAndContentTypeAreChecked() async throws {
        let fixture = try Self.fixture()
        var (head, body) = Self.post(Self.fields(try fixture.partner.mint(subject: "alice")))
        head.method = .get
        #expect(try Self.json(await fixture.service.handle(head, body: body))["error"] == "invalid_request")
        head.method = .post
        head.headerFields[.contentType] = "text/plain"
        #expect(try Self.json(await fixture.service.handle(head, body: body))["error"] == "invalid_request")
        head.headerFields[.contentType] = "application/x-www-form-urlencoded"
        body += Array(repeating: UInt8(ascii: "a"), count: 20_000)
        #expect(try Self.json(await fixture.service.handle(head, body: body))["error"] == "invalid_request")
    }

    @Test func anAllowanceForAnotherTenantIsRefusedAtStart() throws {
        let client = try ExchangeClient(id: "app", credential: .secret("pw"), tenant: "t1", allowedScopes: ["dataset:query:t2"])
        let error = #expect(throws: PortcullisError.self) {
            try TokenExchangeService(
                configuration: TokenExchangeConfiguration(issuer: Self.issuer), clients: [client], subjectVerifier: Unreachable(),
                policy: try ExchangePolicy(audiences: ["https://api.example"]), keys: try ExchangeSigningKeys())
        }
        #expect(error?.code == .malformed)
    }

    struct Unreachable: TokenVerifying {
        func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken {
            throw PortcullisError(.fetchFailed, "the partner's JWK Set could not be fetched")
        }
    }

    @Test func anUnreachablePartnerIsTemporarilyUnavailable() async throws {
        let fixture = try Self.fixture(verifier: Unreachable())
        let (head, body) = Self.post(Self.fields(try fixture.partner.mint(subject: "alice")))
        let response = await fixture.service.handle(head, body: body)
        #expect(response.head.status == .serviceUnavailable)
        #expect(try Self.json(response)["error"] == "temporarily_unavailable")
    }

    @Test func errorDescriptionsStayWithinTheAllowedCharacters() async throws {
        let fixture = try Self.fixture()
        let (head, body) = Self.post(Self.fields("x") + [("scope", "dataset:read:t1")] + [("resource", "https://ok.example/\u{00E9}")])
        let response = await fixture.service.handle(head, body: body)
        let description = try #require(try Self.json(response)["error_description"]?.stringValue)
        #expect(description.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" })
    }
}
