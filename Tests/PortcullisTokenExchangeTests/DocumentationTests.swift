import PortcullisJOSE
import PortcullisJWT
import PortcullisTokenExchange
import Testing

/// The setup shown in Docs/TokenExchange.md builds (nothing is fetched until a token arrives).
@Suite("Token exchange: the documented setup")
struct DocumentationTests {
    @Test func theGuidesSetupBuildsAService() throws {
        let secret = "s3cret"
        let configuration = TokenExchangeConfiguration(issuer: "https://analytics.example")
        let keys = try ExchangeSigningKeys(algorithm: .es256)
        let service = try TokenExchangeService(
            configuration: configuration,
            clients: [try ExchangeClient(id: "acme-reports", credential: .secret(secret), tenant: "t123",
                                         allowedScopes: ["dataset:read:t123", "dataset:query:t123"])],
            subjectVerifier: try PartnerIssuers.verifier(
                issuers: ["https://login.acme.example"], audiences: [configuration.issuer, configuration.tokenEndpoint]),
            policy: try ExchangePolicy(audiences: ["https://analytics.example"]), keys: keys)
        #expect(service.metadata["issuer"] == "https://analytics.example")
        #expect(service.metadata["token_endpoint"] == "https://analytics.example/oauth2/token")
        #expect(service.metadata["jwks_uri"] == "https://analytics.example/.well-known/jwks.json")
        // Partner issuers must be https (loopback http only in development mode).
        let error = #expect(throws: PortcullisError.self) {
            try PartnerIssuers.verifier(issuers: ["http://login.acme.example"], audiences: [configuration.issuer])
        }
        #expect(error?.code == .invalidIssuer)
    }
}
