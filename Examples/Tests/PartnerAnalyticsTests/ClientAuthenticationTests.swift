import ExamplesTestSupport
import Foundation
import PartnerAnalyticsKit
import Portcullis
import PortcullisTokenExchange
import Testing

/// Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523), over real HTTP.
@Suite("Partner analytics: client authentication", .timeLimit(.minutes(2)))
struct ClientAuthenticationTests {
    /// The demo client, a private_key_jwt client and a client without the grant.
    static func configuration(assertionKey: CryptoKey) throws -> PartnerAnalyticsConfiguration {
        let keys = KeySet([VerificationKey(assertionKey, keyID: "jwt-client-1", algorithm: .es256, use: "sig")])
        return PartnerAnalyticsConfiguration(clients: [
            try PartnerAnalyticsConfiguration.client(parsing: "demo-partner:demo-secret:t123:dataset:read:t123 dataset:query:t123"),
            try ExchangeClient(id: "jwt-client", credential: .publicKeys(keys), tenant: "t123", allowedScopes: ["dataset:read:t123"]),
            try ExchangeClient(
                id: "no-exchange", credential: .secret("s3cret"), tenant: "t123", allowedScopes: ["dataset:read:t123"], mayExchange: false),
        ])
    }

    static func assertion(_ signer: JWTSigner, audience: String, jti: String, issuer: String = "jwt-client", lifetime: Double = 120) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        return try signer.sign([
            "iss": .string(issuer), "sub": .string(issuer), "aud": .string(audience), "jti": .string(jti),
            "iat": .number(JSONNumber(now)), "exp": .number(JSONNumber(now + Int64(lifetime))),
        ])
    }

    static func basic(_ id: String, _ secret: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
    }

    @Test func noAuthenticationIsInvalidClientWithoutABasicChallenge() async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken()), headers: [])
            ParameterTests.expectError(result, "invalid_client", status: 401)
            #expect(result.header("WWW-Authenticate") == nil)
        }
    }

    @Test func wrongBasicSecretGets401WithABasicChallenge() async throws {
        try await Harness.run { harness in
            for header in [Self.basic("demo-partner", "wrong"), Self.basic("nobody", "demo-secret")] {
                let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken()), headers: [header])
                ParameterTests.expectError(result, "invalid_client", status: 401)
                #expect(result.header("WWW-Authenticate")?.hasPrefix("Basic realm=") == true)
            }
        }
    }

    @Test func clientSecretPost() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            let ok = try await harness.tokenRequest(
                Harness.exchangeFields(subject, [("client_id", "demo-partner"), ("client_secret", "demo-secret")]), headers: [])
            #expect(ok.status == 200, "\(ok.body)")
            let wrong = try await harness.tokenRequest(
                Harness.exchangeFields(subject, [("client_id", "demo-partner"), ("client_secret", "nope")]), headers: [])
            ParameterTests.expectError(wrong, "invalid_client", status: 401)
            #expect(wrong.header("WWW-Authenticate") == nil)
        }
    }

    @Test func twoAuthenticationMethodsAreAnInvalidRequest() async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(
                Harness.exchangeFields(try harness.partnerToken(), [("client_id", "demo-partner"), ("client_secret", "demo-secret")]))
            ParameterTests.expectError(result, "invalid_request")
        }
    }

    @Test func aClientWithoutTheGrantIsUnauthorized() async throws {
        let key = try CryptoKey.generate(for: .es256)
        try await Harness.run(try Self.configuration(assertionKey: key)) { harness in
            let result = try await harness.tokenRequest(
                Harness.exchangeFields(try harness.partnerToken()), headers: [Self.basic("no-exchange", "s3cret")])
            ParameterTests.expectError(result, "unauthorized_client")
        }
    }

    @Test func privateKeyJWTAndAReplayedAssertion() async throws {
        let key = try CryptoKey.generate(for: .es256)
        let signer = try JWTSigner(key: key, algorithm: .es256, keyID: "jwt-client-1")
        try await Harness.run(try Self.configuration(assertionKey: key)) { harness in
            let endpoint = harness.base + "/oauth2/token"
            let assertion = try Self.assertion(signer, audience: endpoint, jti: "assertion-1")
            let fields: [(String, String)] = [
                ("client_assertion_type", TokenExchangeURI.jwtBearerAssertion), ("client_assertion", assertion),
            ]
            let first = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), fields), headers: [])
            #expect(first.status == 200, "\(first.body)")
            #expect(Harness.claims(first.json?["access_token"] as? String ?? "")["client_id"] as? String == "jwt-client")
            #expect(first.json?["scope"] as? String == "dataset:read:t123")

            let replay = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), fields), headers: [])
            ParameterTests.expectError(replay, "invalid_client", status: 401)
            #expect((replay.json?["error_description"] as? String)?.contains("replay") == true)

            // The issuer URL is an accepted audience too; a new jti is a new assertion.
            let second = try Self.assertion(signer, audience: harness.base, jti: "assertion-2")
            let ok = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), [
                ("client_assertion_type", TokenExchangeURI.jwtBearerAssertion), ("client_assertion", second),
            ]), headers: [])
            #expect(ok.status == 200, "\(ok.body)")
        }
    }

    @Test func unacceptableAssertions() async throws {
        let key = try CryptoKey.generate(for: .es256)
        let signer = try JWTSigner(key: key, algorithm: .es256, keyID: "jwt-client-1")
        let stranger = try JWTSigner(key: try CryptoKey.generate(for: .es256), algorithm: .es256, keyID: "jwt-client-1")
        try await Harness.run(try Self.configuration(assertionKey: key)) { harness in
            let endpoint = harness.base + "/oauth2/token"
            let cases = [
                try Self.assertion(signer, audience: "https://elsewhere.example/token", jti: "a"),  // wrong aud
                try Self.assertion(stranger, audience: endpoint, jti: "b"),                         // wrong key
                try Self.assertion(signer, audience: endpoint, jti: "c", lifetime: -120),           // expired
                try Self.assertion(signer, audience: endpoint, jti: "d", lifetime: 3600),           // too long-lived
                try Self.assertion(signer, audience: endpoint, jti: "e", issuer: "demo-partner"),   // a secret client
            ]
            for assertion in cases {
                let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), [
                    ("client_assertion_type", TokenExchangeURI.jwtBearerAssertion), ("client_assertion", assertion),
                ]), headers: [])
                ParameterTests.expectError(result, "invalid_client", status: 401)
            }
            let wrongType = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), [
                ("client_assertion_type", "urn:example:other"), ("client_assertion", try Self.assertion(signer, audience: endpoint, jti: "f")),
            ]), headers: [])
            ParameterTests.expectError(wrongType, "invalid_request")
        }
    }
}
