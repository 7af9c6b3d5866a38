import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Portcullis
import Testing

/// Roles at a configurable claim path: `realm_access.roles` (Keycloak) and a namespaced URI claim.
@Suite("Model portal: the roles claim path")
struct ClaimPathTests {
    @Test func realmAccessRoles() async throws {
        try await PortalHarness.run(ModelPortalConfiguration(rolesClaim: "realm_access.roles")) { harness in
            // The development issuer puts the role where the portal reads it.
            let admin = try await harness.token("Admin")
            let payload = try JSONReader.parseObject(try JWSCompact.parse(admin).payload)
            #expect(payload["realm_access"] == .object(["roles": .array([.string("Admin")])]))
            #expect(payload["roles"] == nil)
            #expect(try await harness.send("DELETE", "/api/models/fraud-detector", token: admin).status == 204)
            let viewer = try await harness.token("Viewer")
            let denied = try await harness.send("POST", "/api/models/sentiment/deploy", token: viewer)
            #expect(denied.status == 403)
            #expect(denied.json?["message"] as? String == "models:deploy requires the role Admin; the token has Viewer")
        }
    }

    @Test func rolesElsewhereDoNotCount() async throws {
        try await PortalHarness.run(ModelPortalConfiguration(rolesClaim: "realm_access.roles")) { harness in
            // Signed by the portal's own issuer, but with the role at the top-level "roles".
            let token = try harness.issuer.mint(roles: nil, subject: "tester", extraClaims: ["roles": .array([.string("Admin")])])
            let result = try await harness.send("GET", "/api/models", token: token)
            #expect(result.status == 403)
            #expect(result.json?["message"] as? String
                == "models:read requires the role Viewer, Data Scientist or Admin; the token has no role in realm_access.roles")
        }
    }

    @Test func aSingleStringIsOneRoleNeverSplit() async throws {
        try await PortalHarness.run { harness in
            let scientist = try harness.issuer.mint(roles: nil, subject: "t", extraClaims: ["roles": .string("Data Scientist")])
            #expect(try await harness.send("POST", "/api/models", token: scientist, json: #"{"name": "churn"}"#).status == 201)
            // "Viewer Admin" is one (unknown) role, not two.
            let joined = try harness.issuer.mint(roles: nil, subject: "t", extraClaims: ["roles": .string("Viewer Admin")])
            let result = try await harness.send("GET", "/api/models", token: joined)
            #expect(result.status == 403)
            #expect((result.json?["message"] as? String)?.hasSuffix("the token has Viewer Admin") == true)
            // Non-string entries are ignored, strings still count.
            let mixed = try harness.issuer.mint(
                roles: nil, subject: "t", extraClaims: ["roles": .array([.number(JSONNumber(1)), .string("Viewer"), .null])])
            #expect(try await harness.send("GET", "/api/models", token: mixed).status == 200)
        }
    }

    @Test func namespacedURIClaim() async throws {
        let claim = "https://example.com/claims/roles"
        try await PortalHarness.run(ModelPortalConfiguration(rolesClaim: ClaimPath(claim))) { harness in
            let scientist = try await harness.token("Data Scientist")
            let payload = try JSONReader.parseObject(try JWSCompact.parse(scientist).payload)
            #expect(payload[claim] == .array([.string("Data Scientist")]))
            #expect(try await harness.send("POST", "/api/models", token: scientist, json: #"{"name": "churn"}"#).status == 201)
            #expect(try await harness.send("DELETE", "/api/models/churn", token: scientist).status == 403)
        }
    }
}
