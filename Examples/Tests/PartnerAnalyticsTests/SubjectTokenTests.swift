import ExamplesTestSupport
import Foundation
import PartnerAnalyticsKit
import Portcullis
import PortcullisTesting
import Testing

/// Subject and actor tokens: trusted issuers, audience, expiry, tenants, `act` and `may_act`.
@Suite("Partner analytics: subject and actor tokens", .timeLimit(.minutes(2)))
struct SubjectTokenTests {
    static func description(_ result: HTTPResult) -> String { result.json?["error_description"] as? String ?? "" }

    @Test func anUntrustedIssuerIsRefused() async throws {
        try await Harness.run { harness in
            let stranger = try TestIssuer(issuer: "https://evil.example", audience: harness.base)
            let token = try stranger.mint(subject: "mallory", lifetime: 300)
            let result = try await harness.tokenRequest(Harness.exchangeFields(token))
            ParameterTests.expectError(result, "invalid_request")
            #expect(Self.description(result).contains("invalid_issuer"))
        }
    }

    @Test func aForgedTokenNamingTheTrustedIssuerIsRefused() async throws {
        try await Harness.run { harness in
            let forger = try TestIssuer(issuer: try harness.partner.issuer, audience: harness.base, keyID: try harness.partner.keyID)
            let result = try await harness.tokenRequest(Harness.exchangeFields(try forger.mint(subject: "alice@partner.example")))
            ParameterTests.expectError(result, "invalid_request")
            #expect(Self.description(result).contains("invalid_signature"))
        }
    }

    @Test func anExpiredSubjectTokenIsRefused() async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(lifetime: -600)))
            ParameterTests.expectError(result, "invalid_request")
            #expect(Self.description(result).contains("expired"))
        }
    }

    @Test func theSubjectTokenMustBeForThisService() async throws {
        try await Harness.run { harness in
            let other = try await harness.tokenRequest(Harness.exchangeFields(
                try harness.partnerToken(claims: ["aud": "https://other-service.example"])))
            ParameterTests.expectError(other, "invalid_request")
            #expect(Self.description(other).contains("invalid_audience"))
            // The token endpoint is an accepted audience too.
            let endpoint = try await harness.tokenRequest(Harness.exchangeFields(
                try harness.partnerToken(claims: ["aud": .array([.string("https://x.example"), .string(harness.base + "/oauth2/token")])])))
            #expect(endpoint.status == 200, "\(endpoint.body)")
        }
    }

    @Test func aSubjectOfAnotherTenantIsRefused() async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(claims: ["tenant": "t456"])))
            ParameterTests.expectError(result, "invalid_request")
            #expect(Self.description(result).contains("tenant"))
            let same = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(claims: ["tenant": "t123"])))
            #expect(same.status == 200)
        }
    }

    @Test func actorChainsNestTheSubjectsActInsideTheActor() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken(claims: ["act": .object(["sub": "scheduler", "act": .object(["sub": "ops-admin"])])])
            let actor = try harness.partnerToken("reporting-bot")
            let result = try await harness.tokenRequest(Harness.exchangeFields(
                subject, [("actor_token", actor), ("actor_token_type", Harness.accessTokenType)]))
            #expect(result.status == 200, "\(result.body)")
            let claims = Harness.claims(result.json?["access_token"] as? String ?? "")
            let act = try #require(claims["act"] as? [String: Any])
            #expect(act["sub"] as? String == "reporting-bot")
            #expect(act["iss"] as? String == (try harness.partner.issuer))
            let prior = try #require(act["act"] as? [String: Any])
            #expect(prior["sub"] as? String == "scheduler")
            #expect((prior["act"] as? [String: Any])?["sub"] as? String == "ops-admin")
            #expect(claims["sub"] as? String == "alice@partner.example")
        }
    }

    @Test func anInvalidActorTokenIsAnInvalidRequest() async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(
                try harness.partnerToken(), [("actor_token", try harness.partnerToken("bot", lifetime: -600)), ("actor_token_type", Harness.accessTokenType)]))
            ParameterTests.expectError(result, "invalid_request")
            #expect(Self.description(result).contains("actor token"))
        }
    }

    @Test func mayActIsHonoured() async throws {
        try await Harness.run { harness in
            let issuer = try harness.partner.issuer
            let actor = try harness.partnerToken("reporting-bot")
            let actorFields = [("actor_token", actor), ("actor_token_type", Harness.accessTokenType)]
            // may_act names someone else: refused, with or without an actor token.
            let someoneElse = try harness.partnerToken(claims: ["may_act": .object(["sub": "other-bot"])])
            let refused = try await harness.tokenRequest(Harness.exchangeFields(someoneElse, actorFields))
            ParameterTests.expectError(refused, "invalid_request")
            #expect(Self.description(refused).contains("may_act"))
            ParameterTests.expectError(try await harness.tokenRequest(Harness.exchangeFields(someoneElse)), "invalid_request")
            // may_act names the actor (and its issuer): allowed.
            let allowed = try harness.partnerToken(claims: ["may_act": .object(["sub": "reporting-bot", "iss": .string(issuer)])])
            #expect(try await harness.tokenRequest(Harness.exchangeFields(allowed, actorFields)).status == 200)
            // may_act names the actor but another issuer: refused.
            let wrongIssuer = try harness.partnerToken(claims: ["may_act": .object(["sub": "reporting-bot", "iss": "https://other.example"])])
            ParameterTests.expectError(try await harness.tokenRequest(Harness.exchangeFields(wrongIssuer, actorFields)), "invalid_request")
            // Without an actor token the requesting party is the client.
            let client = try harness.partnerToken(claims: ["may_act": .object(["sub": "demo-partner"])])
            #expect(try await harness.tokenRequest(Harness.exchangeFields(client)).status == 200)
        }
    }
}
