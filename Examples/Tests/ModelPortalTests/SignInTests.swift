import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Portcullis
import PortcullisTesting
import Testing

/// The browser sign-in against the real provider `oidc-provider-mock`: the portal's `/login` →
/// consent form → `/callback`, then every role × every action through the pages and through the
/// API with the session cookie, and every refusal of the callback. Nested in ``RealProviderTests``
/// so that its gate applies and the provider-backed tests run one at a time.
extension RealProviderTests {
    @Suite("Model portal: browser sign-in against oidc-provider-mock")
    struct SignInTests {
        /// The page actions: form path and fields, the permission, and the role a denial names.
        static let pageActions: [(name: String, path: String, form: String, permission: String, needed: String)] = [
            ("create", "/models", "name=churn", "models:write", "Data Scientist or Admin"),
            ("upload", "/models/sentiment/versions", "note=retrained", "models:write", "Data Scientist or Admin"),
            ("deploy", "/models/sentiment/deploy", "", "models:deploy", "Admin"),
            ("delete", "/models/fraud-detector/delete", "", "models:delete", "Admin"),
        ]

        static func withPortal(
            clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
            _ body: (RealProvider, PortalHarness) async throws -> Void
        ) async throws {
            try await RealProviderTests.withProvider { provider in
                try await PortalHarness.run(RealProviderTests.portal(provider), clock: clock) { harness in
                    try await body(provider, harness)
                }
            }
        }

        @Test func everyRoleEveryActionThroughThePages() async throws {
            try await RealProviderTests.withProvider { provider in
                for user in RealProviderTests.users {
                    try await PortalHarness.run(RealProviderTests.portal(provider)) { harness in
                        let browser = SignInBrowser(base: harness.base)
                        defer { browser.remove() }
                        let callback = try await browser.signIn(as: user.subject)
                        #expect(callback.header("location") == "/models")
                        let setCookie = try #require(callback.headers.first { $0.name == "set-cookie" && $0.value.hasPrefix("portcullis_session=") }?.value)
                        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
                        #expect(!setCookie.contains("Secure")) // loopback http in development
                        let models = try await browser.get("/models")
                        let canRead = user.caller.permissions.contains("models:read")
                        #expect(models.status == (canRead ? 200 : 403), "\(user.subject): \(models.body)")
                        if canRead {
                            #expect(models.body.contains("sentiment"))
                            #expect(models.body.contains("Deploy the latest") == user.caller.permissions.contains("models:deploy"))
                            #expect(models.body.contains("Create a model") == user.caller.permissions.contains("models:write"))
                            #expect(models.body.contains("Deploying needs the role Admin.") != user.caller.permissions.contains("models:deploy"))
                        } else {
                            #expect(models.body.contains("models:read requires the role Viewer, Data Scientist or Admin"))
                        }
                        let csrf = try await browser.csrfToken()
                        for action in Self.pageActions {
                            let form = (action.form.isEmpty ? "" : action.form + "&") + "csrf=" + csrf
                            let result = try await browser.post(action.path, form: form)
                            if user.caller.permissions.contains(action.permission) {
                                #expect(result.status == 303, "\(user.subject) \(action.name): \(result.body)")
                                #expect(result.header("location") == "/models")
                            } else {
                                #expect(result.status == 403, "\(user.subject) \(action.name): \(result.status)")
                                #expect(result.body.contains("\(action.permission) requires the role \(action.needed); the token has \(user.caller.held)"))
                            }
                        }
                    }
                }
            }
        }

        @Test func everyRoleEveryActionThroughTheAPIWithTheSessionCookie() async throws {
            try await RealProviderTests.withProvider { provider in
                for user in RealProviderTests.users {
                    try await PortalHarness.run(RealProviderTests.portal(provider)) { harness in
                        let browser = SignInBrowser(base: harness.base)
                        defer { browser.remove() }
                        try await browser.signIn(as: user.subject)
                        let me = try await browser.api("GET", "/api/me", json: nil)
                        #expect(me.json?["sub"] as? String == user.subject)
                        for action in RoleMatrixTests.actions {
                            let result = try await browser.api(action.method, action.path, json: action.body)
                            RealProviderTests.expectOutcome(result, of: action, for: user.subject, user.caller)
                        }
                    }
                }
            }
        }

        @Test func configuredSessionKeysSealTheCookieWithTheFirst() async throws {
            try await RealProviderTests.withProvider { provider in
                var configuration = RealProviderTests.portal(provider)
                configuration.sessionKeys = [try SessionKey.generate(id: "2026-11"), try SessionKey.generate(id: "2026-10")]
                try await PortalHarness.run(configuration) { harness in
                    let browser = SignInBrowser(base: harness.base)
                    defer { browser.remove() }
                    let callback = try await browser.signIn(as: "dana")
                    #expect(callback.headers.contains { $0.name == "set-cookie" && $0.value.hasPrefix("portcullis_session=2026-11.") })
                    #expect(try await browser.get("/models").status == 200)
                }
            }
        }

        @Test func csrfIsRequiredForFormsAndJSONForCookieAPICalls() async throws {
            try await Self.withPortal { _, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                try await browser.signIn(as: "ada")
                #expect(try await browser.post("/models/sentiment/deploy", form: "").status == 403)
                #expect(try await browser.post("/models/sentiment/deploy", form: "csrf=forged").status == 403)
                let form = try await browser.api("POST", "/api/models/sentiment/deploy", json: "version=1", contentType: "application/x-www-form-urlencoded")
                #expect(form.status == 415)
                #expect(form.json?["error"] as? String == "invalid_request")
                let untyped = try await browser.api("DELETE", "/api/models/fraud-detector", json: nil, contentType: nil)
                #expect(untyped.status == 415)
                // Nothing changed.
                let list = try await browser.api("GET", "/api/models", json: nil)
                #expect((list.json?["models"] as? [[String: Any]])?.count == 2)
            }
        }

        /// Asserts a refused callback: a 4xx page with the reason, no session, no redirect anywhere.
        static func expectRefused(_ result: HTTPResult, _ status: Int, _ reason: String, _ browser: SignInBrowser) async throws {
            #expect(result.status == status, "\(result.body)")
            #expect(result.header("location") == nil)
            #expect(result.body.contains("Sign-in refused"))
            #expect(result.body.contains(reason), "\(result.body)")
            #expect(try await browser.api("GET", "/api/me", json: nil).status == 401)
        }

        @Test func tamperedStateIsRefused() async throws {
            try await Self.withPortal { _, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                let callback = try await browser.authorize(as: "ada")
                let tampered = callback.replacingOccurrences(of: "state=", with: "state=x")
                try await Self.expectRefused(try await browser.get(tampered), 400, "is not the one this browser sent", browser)
                // The pending login was used up by the refused attempt: the genuine callback fails too.
                try await Self.expectRefused(try await browser.get(callback), 400, "no sign-in is pending", browser)
            }
        }

        @Test func callbackInAnotherBrowserIsRefused() async throws {
            try await Self.withPortal { _, harness in
                let victim = SignInBrowser(base: harness.base), attacker = SignInBrowser(base: harness.base)
                defer { victim.remove(); attacker.remove() }
                let callback = try await attacker.authorize(as: "ada")
                try await Self.expectRefused(try await victim.get(callback), 400, "no sign-in is pending", victim)
            }
        }

        @Test func replayedCodeIsRefusedByTheTokenEndpoint() async throws {
            try await Self.withPortal { _, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                let first = try await browser.authorize(as: "ada")
                #expect(try await browser.get(first).status == 303)
                let code = try #require(URLComponents(string: first)?.queryItems?.first { $0.name == "code" }?.value)
                // A second sign-in in the same browser, whose callback carries the first code.
                let second = try await browser.authorize(as: "vera")
                var components = try #require(URLComponents(string: second))
                components.queryItems = components.queryItems?.map { $0.name == "code" ? URLQueryItem(name: "code", value: code) : $0 }
                let replay = try await browser.get(try #require(components.string))
                #expect(replay.status == 400, "\(replay.body)")
                #expect(replay.body.contains("the token endpoint refused the code"))
                #expect(replay.header("location") == nil)
            }
        }

        @Test func providerErrorIsAPage() async throws {
            try await Self.withPortal { _, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                let callback = try await browser.authorize(as: "ada", deny: true)
                #expect(callback.contains("error=access_denied"))
                try await Self.expectRefused(try await browser.get(callback), 403, "access_denied", browser)
            }
        }

        @Test func expiredSessionSendsBackToLogin() async throws {
            let clock = TestClock(Date().timeIntervalSince1970)
            try await Self.withPortal(clock: clock.secondsSource) { _, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                try await browser.signIn(as: "vera")
                #expect(try await browser.get("/models").status == 200)
                clock.advance(by: 1_801) // past the 30-minute idle timeout
                let models = try await browser.get("/models")
                #expect(models.status == 303)
                #expect(models.header("location") == "/login?return_to=%2Fmodels") // back to /models after signing in
                #expect(try await browser.api("GET", "/api/models", json: nil).status == 401)
            }
        }

        @Test func logoutRevokesTheSessionAndGoesToTheProvider() async throws {
            try await Self.withPortal { provider, harness in
                let browser = SignInBrowser(base: harness.base)
                defer { browser.remove() }
                try await browser.signIn(as: "ada")
                let cookie = try #require(browser.sessionCookie)
                #expect(try await browser.post("/logout", form: "csrf=wrong").status == 403)
                let logout = try await browser.post("/logout", form: "csrf=" + (try await browser.csrfToken()))
                #expect(logout.status == 303)
                let location = try #require(logout.header("location"))
                #expect(location.hasPrefix(provider.issuer + "/oauth2/end_session?"))
                #expect(location.contains("id_token_hint=") && location.contains("post_logout_redirect_uri="))
                #expect(try await browser.get("/models").header("location") == "/login?return_to=%2Fmodels")
                // The old cookie, replayed from another client, opens nothing: revoked on the server.
                let replay = try await Curl.request("GET", harness.base + "/api/models", headers: [("Cookie", cookie)])
                #expect(replay.status == 401)
                #expect(replay.json?["error"] as? String == "missing_token")
                #expect(replay.header("www-authenticate")?.hasPrefix("Bearer realm=") == true)
            }
        }
    }
}
