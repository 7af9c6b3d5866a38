import ExamplesTestSupport
import Foundation
import ModelPortalKit
import PortcullisTesting
import Portcullis
import Testing

/// Which bearer tokens the portal accepts: RFC 6750 refusals, audience, lifetime, `typ`.
@Suite("Model portal: bearer tokens")
struct TokenTests {
    @Test func noTokenGetsABareChallenge() async throws {
        try await PortalHarness.run { harness in
            for (method, path) in [("GET", "/api/models"), ("POST", "/api/models"), ("DELETE", "/api/models/sentiment"), ("GET", "/api/me")] {
                let result = try await harness.send(method, path, token: nil)
                #expect(result.status == 401)
                #expect(result.header("WWW-Authenticate") == "Bearer realm=\"model-portal\"")
                #expect(result.json?["error"] as? String == "missing_token")
            }
        }
    }

    @Test func garbageTokenIsInvalidToken() async throws {
        try await PortalHarness.run { harness in
            let result = try await harness.send("GET", "/api/models", token: "not.a.token")
            #expect(result.status == 401)
            #expect(result.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"model-portal\", error=\"invalid_token\"") == true)
            #expect(result.json?["error"] as? String == "malformed")
        }
    }

    @Test func expiredTokenIsRefused() async throws {
        try await PortalHarness.run { harness in
            let old = try harness.mint(roles: ["Admin"], now: Date().timeIntervalSince1970 - 7200)
            let result = try await harness.send("GET", "/api/models", token: old)
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "expired")
            #expect(result.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)
        }
    }

    @Test func tokenForAnotherAudienceIsRefused() async throws {
        try await PortalHarness.run { harness in
            let other = try harness.mint(roles: ["Admin"], audience: "another-app")
            let result = try await harness.send("GET", "/api/models", token: other)
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "invalid_audience")
        }
    }

    @Test func clientIDAndPublicURLAreBothAcceptedAudiences() async throws {
        var configuration = ModelPortalConfiguration(clientID: "portal-client")
        configuration.publicURL = "https://portal.example.com/"
        try await PortalHarness.run(configuration) { harness in
            #expect(harness.portal.configuration.audiences == ["portal-client", "https://portal.example.com"])
            for audience in ["portal-client", "https://portal.example.com"] {
                let token = try harness.mint(roles: ["Viewer"], audience: audience)
                #expect(try await harness.send("GET", "/api/models", token: token).status == 200, "aud \(audience)")
            }
        }
    }

    @Test(arguments: ["at+jwt", "JWT", "application/at+jwt", "jwt"])
    func accessTokenTypesAreAccepted(type: String) async throws {
        try await PortalHarness.run { harness in
            let token = try harness.mint(roles: ["Viewer"], type: type)
            #expect(try await harness.send("GET", "/api/models", token: token).status == 200)
        }
    }

    @Test(arguments: ["logout+jwt", "secevent+jwt", "dpop+jwt", "JOSE"])
    func otherTokenTypesAreRefused(type: String) async throws {
        try await PortalHarness.run { harness in
            let result = try await harness.send("GET", "/api/models", token: try harness.mint(roles: ["Admin"], type: type))
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "invalid_type")
        }
    }

    @Test func untypedTokensOnlyWhenAllowed() async throws {
        try await PortalHarness.run { harness in
            let result = try await harness.send("GET", "/api/models", token: try harness.mint(roles: ["Admin"], type: nil))
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "invalid_type")
        }
        try await PortalHarness.run(ModelPortalConfiguration(acceptsUntypedTokens: true)) { harness in
            let result = try await harness.send("GET", "/api/models", token: try harness.mint(roles: ["Admin"], type: nil))
            #expect(result.status == 200)
        }
    }

    @Test func tokenFromAnotherKeyIsRefused() async throws {
        try await PortalHarness.run { harness in
            // Same iss, aud and kid shape, different key: not this issuer's token.
            let impostor = try PortalDevelopmentIssuer(
                issuer: harness.base, audience: harness.portal.configuration.clientID, rolesClaim: "roles")
            let result = try await harness.send("GET", "/api/models", token: try impostor.mint(roles: ["Admin"], subject: "mallory"))
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "key_not_found")
        }
    }

    @Test func refusalsAreAuditedWithoutTheToken() async throws {
        try await PortalHarness.run { harness in
            let token = try harness.mint(roles: ["Admin"], now: Date().timeIntervalSince1970 - 7200)
            _ = try await harness.send("GET", "/api/models", token: token)
            let record = try #require(harness.logs.records.first { $0.metadata["portcullis.reason"] == "expired" })
            #expect(!record.message.contains(token))
            #expect(!record.metadata.values.contains { $0.contains(token) })
        }
    }
}
