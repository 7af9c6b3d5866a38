import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Portcullis
import PortcullisTesting
import Testing

/// Roles follow the provider: the portal's sessions refresh against `oidc-provider-mock` and
/// re-read the roles (through userinfo: this provider sends no ID token on refresh), so a demotion
/// at the provider takes effect at the next refresh, and revoked tokens end the session.
extension RealProviderTests {
    @Suite("Model portal: refresh re-reads the roles")
    struct RefreshSignInTests {
        static func withPortal(clock: TestClock, _ body: (RealProvider, PortalHarness) async throws -> Void) async throws {
            try await RealProviderTests.withProvider { provider in
                var configuration = RealProviderTests.portal(provider)
                configuration.claimsMaximumAge = 60
                try await PortalHarness.run(configuration, clock: clock.secondsSource) { harness in
                    try await body(provider, harness)
                }
            }
        }

        static func setClaims(_ provider: RealProvider, _ subject: String, _ claims: String) async throws {
            let result = try await Curl.request(
                "PUT", provider.issuer + "/users/" + subject, headers: [("Content-Type", "application/json")], body: claims)
            #expect(result.status == 204, "PUT /users/\(subject): \(result.status) \(result.body)")
        }

        @Test func aDemotionAtTheProviderIsSeenAtTheNextRefresh() async throws {
            let clock = TestClock(Date().timeIntervalSince1970)
            try await Self.withPortal(clock: clock) { provider, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                try await browser.signIn(as: "ada")
                #expect(try await browser.get("/models").body.contains("Deploy the latest"))

                try await Self.setClaims(provider, "ada", #"{"roles": ["Viewer"]}"#)
                clock.advance(by: 30)
                #expect(try await browser.get("/models").body.contains("Deploy the latest"), "claims younger than 60 s are not re-read")

                clock.advance(by: 31)
                let models = try await browser.get("/models")
                #expect(models.status == 200)
                #expect(models.body.contains("roles: Viewer"))
                #expect(!models.body.contains("Deploy the latest"))
                #expect(models.body.contains("Deploying needs the role Admin."))
                let deploy = try await browser.post("/models/sentiment/deploy", form: "csrf=" + (try await browser.csrfToken()))
                #expect(deploy.status == 403)
                #expect(deploy.body.contains("models:deploy requires the role Admin"))
                let api = try await browser.api("POST", "/api/models/sentiment/deploy", json: "{}")
                #expect(api.status == 403, "the API with the session cookie sees the same roles: \(api.body)")

                // Promoted back: seen at the next refresh too.
                try await Self.setClaims(provider, "ada", #"{"roles": ["Admin"]}"#)
                clock.advance(by: 61)
                #expect(try await browser.get("/models").body.contains("Deploy the latest"))
            }
        }

        @Test func revokedTokensEndTheSessionAtTheNextRefresh() async throws {
            let clock = TestClock(Date().timeIntervalSince1970)
            try await Self.withPortal(clock: clock) { provider, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                try await browser.signIn(as: "dana")
                #expect(try await browser.get("/models").status == 200)
                let revoke = try await Curl.request("POST", provider.issuer + "/users/dana/revoke-tokens")
                #expect(revoke.status == 204)
                clock.advance(by: 61)
                let models = try await browser.get("/models")
                #expect(models.status == 303)
                #expect(models.header("location") == "/login?return_to=%2Fmodels")
                #expect(try await browser.api("GET", "/api/models", json: nil).status == 401)
            }
        }
    }
}
