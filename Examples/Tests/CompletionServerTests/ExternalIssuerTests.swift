import CompletionServerKit
import ExamplesTestSupport
import Foundation
import Portcullis
import PortcullisTesting
import Testing

/// The server configured for an external issuer: only that issuer's tokens, for that audience.
@Suite("Completion server: an external issuer")
struct ExternalIssuerTests {
    static func issuer(_ name: String = "https://idp.example", audience: String = "api://completions") throws -> TestIssuer {
        try TestIssuer(issuer: name, audience: audience, algorithm: .es256, keyID: "idp-1", clock: TestClock(Date().timeIntervalSince1970))
    }

    @Test func aJWKSFileConfiguresTheTrustedIssuer() async throws {
        let idp = try Self.issuer()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try Data(JSONValue.object(idp.jwks().jsonObject(includingPrivate: false)).serializedBytes()).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = CompletionServerConfiguration(
            issuer: .external(issuer: idp.issuer, audience: "api://completions", keys: .file(file.path)))
        try await Harness.run(configuration) { harness in
            #expect(harness.server.developmentIssuer == nil)
            let good = try idp.mint(subject: "u1", scopes: ["completions"])
            #expect(try await harness.get("/v1/models", token: good).status == 200)

            let wrongAudience = try idp.mint(scopes: ["completions"], extraClaims: ["aud": .string("api://other")])
            let audience = try await harness.get("/v1/models", token: wrongAudience)
            #expect(audience.status == 401)
            #expect(audience.json?["error"] as? String == "invalid_audience")

            let sameKeyOtherIssuer = try TestIssuer(
                issuer: "https://evil.example", audience: "api://completions", algorithm: .es256, keyID: "idp-1",
                signingKey: idp.signingKey, clock: idp.clock)
            let issuerResult = try await harness.get("/v1/models", token: try sameKeyOtherIssuer.mint(scopes: ["completions"]))
            #expect(issuerResult.json?["error"] as? String == "invalid_issuer")

            let otherKey = try Self.issuer()
            let keyResult = try await harness.get("/v1/models", token: try otherKey.mint(scopes: ["completions"]))
            #expect(keyResult.status == 401)
            #expect(keyResult.json?["error"] as? String == "invalid_signature")

            let expired = try idp.mint(scopes: ["completions"], lifetime: -120)
            #expect(try await harness.get("/v1/models", token: expired).json?["error"] as? String == "expired")

            // The development endpoints are off.
            #expect(try await harness.get("/.well-known/openid-configuration").status == 404)
            #expect(try await Curl.request("POST", harness.base + "/dev/token", body: "tier=premium").status == 404)
        }
    }

    @Test func aJWKSURLServedByAnotherServerConfiguresTheTrustedIssuer() async throws {
        try await Harness.run { development in
            let issuer = try #require(development.server.developmentIssuer)
            let discovery = try await development.get("/.well-known/openid-configuration")
            let jwksURL = try #require(discovery.json?["jwks_uri"] as? String)
            #expect(discovery.json?["issuer"] as? String == development.base)
            let configuration = CompletionServerConfiguration(
                issuer: .external(issuer: issuer.issuer, audience: issuer.audience, keys: .url(jwksURL)))
            try await Harness.run(configuration) { resource in
                let token = try await development.token("premium")
                let result = try await resource.complete(Harness.body(model: "large", maxTokens: 300), token: token)
                #expect(result.status == 200)
            }
        }
    }
}
