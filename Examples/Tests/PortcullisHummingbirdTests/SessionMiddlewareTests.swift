import ExamplesTestSupport
import Foundation
import PortcullisTesting
import Testing

/// `SessionMiddleware` over real HTTP: the session in the context, required sign-in, the first
/// live cookie, timeouts, and route requirements on the session's ID token.
@Suite("Hummingbird sign-in: the session middleware")
struct SessionMiddlewareTests {
    @Test func requiredSignInRedirectsBrowsersAndAnswersOtherMethods401() async throws {
        try await SignInHarness.run { harness in
            let get = try await Curl.request("GET", harness.base + "/app/me?tab=a%20b")
            #expect(get.status == 303)
            #expect(get.header("location") == "/login?return_to=%2Fapp%2Fme%3Ftab%3Da%2520b")
            let post = try await Curl.request("POST", harness.base + "/app/note", headers: [CookieBrowser.form], body: "note=x")
            #expect(post.status == 401)
            #expect(post.header("www-authenticate")
                == #"Cookie realm="\#(harness.base)", form-action="/login", cookie-name="portcullis_session""#)
            #expect(post.header("content-type") == "text/html; charset=utf-8")
            #expect(post.body.contains("Sign-in required") && post.body.contains("<code>missing_token</code>"))
        }
    }

    @Test func theRedirectLeadsBackAfterSigningIn() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            let login = try #require(try await browser.get("/app/me").header("location"))
            let callback = try await browser.signIn(as: "vera", loginQuery: String(login.dropFirst("/login?".count)))
            #expect(callback.header("location") == "/app/me")
            #expect(try await browser.get("/app/me").body == "vera")
        }
    }

    @Test func anOptionalSessionLetsAnonymousRequestsThrough() async throws {
        try await SignInHarness.run { harness in
            let result = try await Curl.request("GET", harness.base + "/", headers: [("Cookie", "portcullis_session=k1.forged")])
            #expect(result.status == 200 && result.body == "anonymous")
        }
    }

    @Test func theFirstLiveCookieOfSeveralWins() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            try await browser.signIn(as: "ada")
            let live = try #require(browser.sessionCookie)
            let cookie = "portcullis_session=k1.forged; other=1; \(live); portcullis_session=k2.also-forged"
            let result = try await Curl.request("GET", harness.base + "/app/me", headers: [("Cookie", cookie)])
            #expect(result.status == 200 && result.body == "ada")
        }
    }

    @Test func anIdleSessionEndsAndSendsTheBrowserToLogin() async throws {
        let clock = TestClock(Date().timeIntervalSince1970)
        try await SignInHarness.run(clock: clock.secondsSource) { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            try await browser.signIn(as: "ada")
            #expect(try await browser.get("/app/me").status == 200)
            clock.advance(by: 1_801)
            #expect(try await browser.get("/app/me").header("location") == "/login?return_to=%2Fapp%2Fme")
        }
    }

    @Test func routeRequirementsAreCheckedOnTheSessionsIDToken() async throws {
        try await SignInHarness.run { harness in
            let admin = CookieBrowser(base: harness.base), viewer = CookieBrowser(base: harness.base)
            defer { admin.remove(); viewer.remove() }
            try await admin.signIn(as: "ada")
            try await viewer.signIn(as: "vera")
            let allowed = try await admin.post("/app/archive", form: "csrf=\(try await admin.csrfToken())")
            #expect(allowed.status == 200 && allowed.body == "archived by ada")
            let denied = try await viewer.post("/app/archive", form: "csrf=\(try await viewer.csrfToken())")
            #expect(denied.status == 403)
            #expect(denied.json?["error"] as? String == "access_denied")
            #expect(denied.json?["message"] as? String == "reports:archive requires the role admin; the token has viewer")
        }
    }
}
