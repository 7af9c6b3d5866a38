import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Portcullis
import Testing

/// The portal pointed at a real OpenID provider with `--issuer` (``RealProvider``): users with
/// different roles sign in, and their tokens decide every action end to end.
@Suite(
    "Model portal: a real OpenID provider (oidc-provider-mock)",
    .enabled(if: RealProvider.python != nil, "needs PORTCULLIS_INTEROP_PYTHON with oidc-provider-mock installed (scripts/test.sh does both)"),
    .serialized)
struct RealProviderTests {
    /// The provider's users: subject, claims, and who they stand for in the role matrix.
    static let users: [(subject: String, claims: String, caller: RoleMatrixTests.Caller)] = [
        ("vera", #"{"sub": "vera", "roles": ["Viewer"]}"#, RoleMatrixTests.callers[0]),
        ("dana", #"{"sub": "dana", "roles": ["Data Scientist"]}"#, RoleMatrixTests.callers[1]),
        ("ada", #"{"sub": "ada", "roles": ["Admin"]}"#, RoleMatrixTests.callers[2]),
        ("olga", #"{"sub": "olga", "roles": ["admin"]}"#, RoleMatrixTests.callers[7]),
        ("nemo", #"{"sub": "nemo", "email": "nemo@example.com"}"#, RoleMatrixTests.callers[4]),
    ]

    static func withProvider(_ extraUsers: [String] = [], _ body: (RealProvider) async throws -> Void) async throws {
        let python = try #require(RealProvider.python)
        let provider = try await RealProvider(python: python, users: users.map(\.claims) + extraUsers)
        do {
            try await body(provider)
        } catch {
            await provider.stopAsync()
            throw error
        }
        await provider.stopAsync()
    }

    static func portal(_ provider: RealProvider, rolesClaim: ClaimPath = "roles") -> ModelPortalConfiguration {
        ModelPortalConfiguration(
            issuer: .external(provider.issuer), clientID: RealProvider.clientID, clientSecret: RealProvider.clientSecret,
            rolesClaim: rolesClaim)
    }

    /// `result` is the action's success status when `caller` has its permission, else the exact
    /// `403 access_denied` naming the role needed.
    static func expectOutcome(_ result: HTTPResult, of action: RoleMatrixTests.Action, for subject: String, _ caller: RoleMatrixTests.Caller) {
        if caller.permissions.contains(action.permission) {
            #expect(result.status == action.status, "\(subject) \(action.name): \(result.body)")
        } else {
            #expect(result.status == 403, "\(subject) \(action.name): \(result.body)")
            #expect(result.json?["error"] as? String == "access_denied")
            #expect(result.json?["message"] as? String
                == "\(action.permission) requires the role \(action.needed); the token has \(caller.held)")
        }
    }

    @Test func everyUserEveryAction() async throws {
        try await Self.withProvider { provider in
            for user in Self.users {
                let tokens = try await provider.signIn(user.subject)
                // A fresh portal per user, so that every action starts from the seeded models.
                try await PortalHarness.run(Self.portal(provider)) { harness in
                    let me = try await harness.send("GET", "/api/me", token: tokens.idToken)
                    #expect(me.status == 200, "\(user.subject): \(me.body)")
                    #expect(me.json?["sub"] as? String == user.subject)
                    for action in RoleMatrixTests.actions {
                        let result = try await harness.send(action.method, action.path, token: tokens.idToken, json: action.body)
                        Self.expectOutcome(result, of: action, for: user.subject, user.caller)
                    }
                }
            }
        }
    }

    @Test func opaqueAccessTokensAreRefusedAndIDTokensOfOtherClientsToo() async throws {
        try await Self.withProvider { provider in
            let tokens = try await provider.signIn("ada")
            try await PortalHarness.run(Self.portal(provider)) { harness in
                // The provider's access tokens are opaque: not a JWT, so 401 malformed.
                let opaque = try await harness.send("GET", "/api/models", token: tokens.accessToken)
                #expect(opaque.status == 401)
                #expect(opaque.json?["error"] as? String == "malformed")
                #expect(try await harness.send("GET", "/api/models", token: tokens.idToken).status == 200)
            }
            // A portal registered under another client id does not accept this client's ID token.
            var other = Self.portal(provider)
            other.clientID = "another-portal"
            try await PortalHarness.run(other) { harness in
                let result = try await harness.send("GET", "/api/models", token: tokens.idToken)
                #expect(result.status == 401)
                #expect(result.json?["error"] as? String == "invalid_audience")
            }
        }
    }

    @Test func keycloakStyleRealmAccessRoles() async throws {
        let keycloak = #"{"sub": "kc-admin", "realm_access": {"roles": ["Admin", "offline_access"]}}"#
        try await Self.withProvider([keycloak]) { provider in
            let admin = try await provider.signIn("kc-admin").idToken
            let flat = try await provider.signIn("ada").idToken
            try await PortalHarness.run(Self.portal(provider, rolesClaim: "realm_access.roles")) { harness in
                #expect(try await harness.send("POST", "/api/models/sentiment/deploy", token: admin).status == 200)
                // Roles at the top level do not count when the portal reads realm_access.roles.
                let result = try await harness.send("GET", "/api/models", token: flat)
                #expect(result.status == 403)
                #expect((result.json?["message"] as? String)?.hasSuffix("the token has no role in realm_access.roles") == true)
            }
        }
    }
}
