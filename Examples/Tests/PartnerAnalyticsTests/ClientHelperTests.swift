import ExamplesTestSupport
import Foundation
import PartnerAnalyticsKit
import Portcullis
import PortcullisTokenExchange
import Testing

/// `TokenExchangeClient`, the partner-side helper, against the live service.
@Suite("Partner analytics: the Swift client helper", .timeLimit(.minutes(2)))
struct ClientHelperTests {
    static func client(_ harness: Harness, _ authentication: TokenExchangeClient.Authentication, id: String = "demo-partner") throws -> TokenExchangeClient {
        let url = try #require(URL(string: harness.base + "/oauth2/token"))
        return TokenExchangeClient(tokenEndpoint: url, clientID: id, authentication: authentication)
    }

    @Test(arguments: ["basic", "post"])
    func exchangesWithASecret(method: String) async throws {
        try await Harness.run { harness in
            let client = try Self.client(harness, method == "basic" ? .basic(secret: "demo-secret") : .post(secret: "demo-secret"))
            let issued = try await client.exchange(
                subjectToken: try harness.partnerToken(), scopes: ["dataset:read:t123"], resources: [harness.base])
            #expect(issued.tokenType == "Bearer")
            #expect(issued.scope == ["dataset:read:t123"])
            #expect(issued.expiresIn == 300)
            #expect(issued.issuedTokenType == TokenExchangeURI.accessToken)
            #expect(try await harness.get("/v1/datasets/t123/sales", token: issued.accessToken).status == 200)
        }
    }

    @Test func exchangesWithAnActorAndAnAssertion() async throws {
        let key = try CryptoKey.generate(for: .es256)
        let signer = try JWTSigner(key: key, algorithm: .es256, keyID: "jwt-client-1")
        try await Harness.run(try ClientAuthenticationTests.configuration(assertionKey: key)) { harness in
            let audience = harness.base + "/oauth2/token"
            let client = try Self.client(harness, .assertion {
                try ClientAuthenticationTests.assertion(signer, audience: audience, jti: UUID().uuidString)
            }, id: "jwt-client")
            let issued = try await client.exchange(
                subjectToken: try harness.partnerToken(), actorToken: try harness.partnerToken("reporting-bot"))
            #expect((Harness.claims(issued.accessToken)["act"] as? [String: Any])?["sub"] as? String == "reporting-bot")
            // A fresh assertion each time: a second exchange is not a replay.
            _ = try await client.exchange(subjectToken: try harness.partnerToken())
        }
    }

    /// The library's assertion signer, with either audience the server accepts.
    @Test(arguments: [ClientAssertionSigner.Audience.issuer, .tokenEndpoint])
    func exchangesWithTheAssertionSigner(audience: ClientAssertionSigner.Audience) async throws {
        let key = try CryptoKey.generate(for: .es256)
        let signer = try ClientAssertionSigner(signer: try JWTSigner(key: key, algorithm: .es256, keyID: "jwt-client-1"), audience: audience)
        try await Harness.run(try ClientAuthenticationTests.configuration(assertionKey: key)) { harness in
            let endpoint = try #require(URL(string: harness.base + "/oauth2/token"))
            let client = try Self.client(
                harness, .privateKeyJWT(signer, clientID: "jwt-client", issuer: harness.base, tokenEndpoint: endpoint), id: "jwt-client")
            let issued = try await client.exchange(subjectToken: try harness.partnerToken())
            #expect(issued.tokenType == "Bearer")
            _ = try await client.exchange(subjectToken: try harness.partnerToken())
        }
    }

    @Test func errorsCarryTheServersCode() async throws {
        try await Harness.run { harness in
            let client = try Self.client(harness, .basic(secret: "demo-secret"))
            let scope = await #expect(throws: PortcullisError.self) {
                try await client.exchange(subjectToken: try harness.partnerToken(), scopes: ["dataset:write:t123"])
            }
            #expect(scope?.code == .invalidScope)
            #expect(scope?.message.contains("dataset:write:t123") == true)
            let wrong = try Self.client(harness, .basic(secret: "nope"))
            let unauthenticated = await #expect(throws: PortcullisError.self) {
                try await wrong.exchange(subjectToken: try harness.partnerToken())
            }
            #expect(unauthenticated?.code == .invalidClient)
            let expired = await #expect(throws: PortcullisError.self) {
                try await client.exchange(subjectToken: try harness.partnerToken(lifetime: -600))
            }
            #expect(expired?.code == .invalidRequest)
        }
    }

    @Test func anUnreachableEndpointIsFetchFailed() async throws {
        let port = try await Subprocess.freePort()
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/oauth2/token"))
        let client = TokenExchangeClient(tokenEndpoint: url, clientID: "x", authentication: .basic(secret: "y"))
        let error = await #expect(throws: PortcullisError.self) { try await client.exchange(subjectToken: "a.b.c") }
        #expect(error?.code == .fetchFailed)
    }
}
