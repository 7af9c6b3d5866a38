import ExamplesTestSupport
import Foundation
import PartnerAnalyticsKit
import Portcullis
import PortcullisTesting
import PortcullisTokenExchange
import Testing

/// Metadata, key rotation, configured partners, and the audit log.
@Suite("Partner analytics: metadata, keys, configuration and audit", .timeLimit(.minutes(2)))
struct ServiceTests {
    @Test func metadataFollowsRFC8414() async throws {
        let configuration = PartnerAnalyticsConfiguration(publicURL: "https://analytics.example")
        try await Harness.run(configuration) { harness in
            // --public-url changes the identifiers, not where the test connects.
            let url = "http://127.0.0.1:\(harness.server.configuration.port)"
            let result = try await Curl.request("GET", url + "/.well-known/oauth-authorization-server")
            #expect(result.status == 200)
            let json = try #require(result.json)
            #expect(json["issuer"] as? String == "https://analytics.example")
            #expect(json["token_endpoint"] as? String == "https://analytics.example/oauth2/token")
            #expect(json["jwks_uri"] as? String == "https://analytics.example/.well-known/jwks.json")
            #expect(json["grant_types_supported"] as? [String] == [TokenExchangeURI.grantType])
            #expect(Set(json["token_endpoint_auth_methods_supported"] as? [String] ?? [])
                == ["client_secret_basic", "client_secret_post", "private_key_jwt"])
            let jwks = try await Curl.request("GET", url + "/.well-known/jwks.json")
            #expect((jwks.json?["keys"] as? [[String: Any]])?.first?["kid"] as? String == harness.server.keys.currentKeyID)
            #expect((jwks.json?["keys"] as? [[String: Any]])?.first?["d"] == nil)
        }
    }

    @Test func rotationKeepsTokensInFlightValid() async throws {
        try await Harness.run { harness in
            let before = try await harness.exchangedToken()
            let oldKey = harness.server.keys.currentKeyID
            try harness.server.keys.rotate()
            let after = try await harness.exchangedToken()
            let kids = (try await harness.get("/.well-known/jwks.json", token: nil).json?["keys"] as? [[String: Any]])?.compactMap { $0["kid"] as? String }
            #expect(kids == [harness.server.keys.currentKeyID, oldKey])
            #expect(try await harness.get("/v1/datasets", token: before).status == 200)
            #expect(try await harness.get("/v1/datasets", token: after).status == 200)
            try harness.server.keys.rotate()
            try harness.server.keys.rotate()   // the first key is now beyond the two kept
            #expect(try await harness.get("/v1/datasets", token: before).status == 401)
        }
    }

    @Test func configuredPartnersAreFoundThroughDiscovery() async throws {
        // One server plays the partner's identity provider; another trusts it by --partner-issuer.
        try await Harness.run { idp in
            let issuer = try idp.partner.issuer
            let acme = try PartnerAnalyticsConfiguration.client(parsing: "acme:s3cret:t9:dataset:read:t9,dataset:query:t9")
            #expect(acme.allowedScopes == ["dataset:read:t9", "dataset:query:t9"])
            let configuration = PartnerAnalyticsConfiguration(partnerIssuers: [issuer], clients: [acme], tiers: ["t9": "premium"])
            try await Harness.run(configuration) { service in
                #expect(service.server.partnerProvider == nil)
                #expect(try await service.get("/partner/.well-known/openid-configuration", token: nil).status == 404)
                let subject = try idp.partner.mint(subject: "bob@acme.example", extraClaims: ["aud": .string(service.base)])
                let auth = ("Authorization", "Basic " + Data("acme:s3cret".utf8).base64EncodedString())
                let result = try await service.tokenRequest(Harness.exchangeFields(subject), headers: [auth])
                #expect(result.status == 200, "\(result.body)")
                let token = try #require(result.json?["access_token"] as? String)
                #expect(Harness.claims(token)["tenant"] as? String == "t9")
                let query = try await service.query("/v1/datasets/t9/sales/query", token: token)
                #expect((query.json?["quota"] as? [String: Any])?["tier"] as? String == "premium")
                // The demo provider's own tokens for the idp server are not for this service.
                let wrongAudience = try await service.tokenRequest(Harness.exchangeFields(try idp.partnerToken()), headers: [auth])
                ParameterTests.expectError(wrongAudience, "invalid_request")
            }
        }
    }

    @Test(arguments: ["nocolons", "a:b:c", "a::t1:s", "a:b:t1:"])
    func badClientFlagsAreRefused(text: String) {
        #expect(throws: (any Error).self) { try PartnerAnalyticsConfiguration.client(parsing: text) }
    }

    @Test func everyExchangeIsAudited() async throws {
        try await Harness.run { harness in
            _ = try await harness.exchangedToken(scope: "dataset:read:t123")
            _ = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), [("scope", "dataset:read:t123 dataset:write:t123")]))
            let events = harness.logs.records.filter { $0.metadata["event"] == "token_exchange" }
            #expect(events.count == 2)
            guard events.count == 2 else { return }
            #expect(events[0].metadata["outcome"] == "issued")
            #expect(events[0].metadata["client"] == "demo-partner")
            #expect(events[0].metadata["subject"] == "alice@partner.example")
            #expect(events[0].metadata["actor"] == "demo-partner")
            #expect(events[0].metadata["tenant"] == "t123")
            #expect(events[0].metadata["granted_scopes"]?.contains("dataset:read:t123") == true)
            #expect(events[1].metadata["outcome"] == "refused")
            #expect(events[1].metadata["error"] == "invalid_scope")
            #expect(events[1].metadata["refused_scopes"]?.contains("dataset:write:t123: outside the client") == true)
            // The tokens themselves are never logged.
            #expect(!events.contains { record in record.metadata.values.contains { $0.hasPrefix("eyJ") } })
        }
    }
}
