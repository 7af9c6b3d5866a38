import ExamplesTestSupport
import Foundation
import Portcullis
import PortcullisHummingbird
import Testing

/// `OIDCSignIn.addRoutes(to:)` over real HTTP: the sign-in round trip, `return_to`, refused
/// callbacks, and logout.
@Suite("Hummingbird sign-in: login, callback and logout routes")
struct SignInRoutesTests {
    @Test func signInRoundTrip() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            #expect(try await browser.get("/").body == "anonymous")
            let login = try await browser.get("/login")
            #expect(login.status == 303)
            let authorization = try #require(login.header("location"))
            #expect(authorization.hasPrefix(harness.provider.issuer + "/authorize?"))
            #expect(authorization.contains("code_challenge_method=S256") && authorization.contains("&nonce=") && authorization.contains("&state="))
            #expect(authorization.contains("redirect_uri=" + Self.encoded(harness.base + "/callback") + "&"))
            let binding = try #require(login.headers.first { $0.name == "set-cookie" }?.value)
            #expect(binding.hasPrefix("portcullis_login="))
            #expect(binding.contains("Path=/callback; Max-Age=600; HttpOnly; SameSite=Lax") && !binding.contains("Secure"))

            let callback = try await browser.get(try await browser.get(authorization + "&user=ada").header("location") ?? "")
            #expect(callback.status == 303)
            #expect(callback.header("location") == "/")
            let cookies = callback.headers.filter { $0.name == "set-cookie" }.map(\.value)
            #expect(cookies.contains { $0.hasPrefix("portcullis_login=;") && $0.contains("Max-Age=0") })
            let session = try #require(cookies.first { $0.hasPrefix("portcullis_session=k1.") })
            #expect(session.contains("Path=/") && session.contains("HttpOnly") && session.contains("SameSite=Lax"))
            #expect(try await browser.get("/").body == "signed in as ada")
            #expect(try await browser.get("/app/me").body == "ada")
        }
    }

    @Test func aLocalReturnToIsFollowed() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            let callback = try await browser.signIn(as: "ada", loginQuery: "return_to=%2Fapp%2Fme%3Fx%3D1")
            #expect(callback.status == 303)
            #expect(callback.header("location") == "/app/me?x=1")
        }
    }

    /// Open-redirect attempts (OWASP): each is ignored and the sign-in ends at `afterLogin`.
    @Test(arguments: [
        "//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "evil.example",
        "javascript:alert(1)", "/ok\r\nSet-Cookie: x=y", "", "/caf\u{E9}",
    ])
    func openRedirectAttemptsAreIgnored(returnTo: String) async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            let query = "return_to=" + (returnTo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            let callback = try await browser.signIn(as: "ada", loginQuery: query)
            #expect(callback.status == 303)
            #expect(callback.header("location") == "/")
        }
    }

    @Test func aRepeatedReturnToIsIgnored() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            let callback = try await browser.signIn(as: "ada", loginQuery: "return_to=%2Fapp%2Fme&return_to=%2F%2Fevil.example")
            #expect(callback.header("location") == "/")
        }
    }

    /// A refused callback: a page with the status and reason code, the provider's text escaped, the
    /// binding cookie deleted, no session, no redirect.
    static func expectRefused(_ result: HTTPResult, _ status: Int, _ reason: String, _ browser: CookieBrowser) async throws {
        #expect(result.status == status, "\(result.body)")
        #expect(result.header("location") == nil)
        #expect(result.header("content-type") == "text/html; charset=utf-8")
        #expect(result.header("cache-control") == "no-store")
        #expect(result.header("content-security-policy")?.hasPrefix("default-src 'none'") == true)
        #expect(result.body.contains("Sign-in refused"))
        #expect(result.body.contains("<code>\(reason)</code>"), "\(result.body)")
        #expect(result.headers.contains { $0.name == "set-cookie" && $0.value.hasPrefix("portcullis_login=;") })
        #expect(try await browser.get("/").body == "anonymous")
    }

    @Test func aProviderRefusalIsA403PageWithItsTextEscaped() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            let result = try await browser.get(try await browser.authorize(as: "ada", deny: true))
            try await Self.expectRefused(result, 403, "access_denied", browser)
            #expect(!result.body.contains("<script>"))
            #expect(result.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; said no"))
        }
    }

    @Test func aTamperedStateIsA400Page() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            let callback = try await browser.authorize(as: "ada")
            let result = try await browser.get(callback.replacingOccurrences(of: "state=", with: "state=x"))
            try await Self.expectRefused(result, 400, "invalid_request", browser)
            #expect(result.body.contains("is not the one this browser sent"))
            // Single use: the genuine callback finds no pending sign-in any more.
            try await Self.expectRefused(try await browser.get(callback), 400, "invalid_request", browser)
        }
    }

    @Test func aCallbackWithoutThePendingLoginCookieIsA400Page() async throws {
        try await SignInHarness.run { harness in
            let attacker = CookieBrowser(base: harness.base), victim = CookieBrowser(base: harness.base)
            defer { attacker.remove(); victim.remove() }
            let result = try await victim.get(try await attacker.authorize(as: "ada"))
            try await Self.expectRefused(result, 400, "invalid_request", victim)
            #expect(result.body.contains("no sign-in is pending in this browser"))
        }
    }

    @Test func aFailingTokenEndpointIsA502Page() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            try await Self.expectRefused(try await browser.signIn(as: "broken"), 502, "fetch_failed", browser)
        }
    }

    @Test func logoutOnGetShowsAFormAndDoesNotSignOut() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            try await browser.signIn(as: "ada")
            let page = try await browser.get("/logout")
            #expect(page.status == 200)
            #expect(page.header("set-cookie") == nil)
            let csrf = try await browser.csrfToken()
            #expect(page.body.contains(#"<form method="post" action="/logout"><input type="hidden" name="csrf" value="\#(csrf)">"#))
            // The provider's logout endpoint may receive the form's redirect (CSP form-action).
            #expect(page.header("content-security-policy")?.contains("form-action 'self' \(harness.base);") == true)
            #expect(try await browser.get("/app/me").body == "ada")
        }
    }

    @Test func logoutOnPostRevokesTheSessionAndContinuesAtTheProvider() async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            try await browser.signIn(as: "ada")
            let cookie = try #require(browser.sessionCookie)
            let csrf = try await browser.csrfToken()
            #expect(try await browser.post("/logout", form: "csrf=wrong").status == 403)
            #expect(try await browser.post("/logout", form: "csrf=\(csrf)", headers: [CookieBrowser.form, ("Origin", "https://evil.example")]).status == 403)
            #expect(try await browser.get("/app/me").body == "ada")

            let logout = try await browser.post("/logout", form: "csrf=\(csrf)", headers: [CookieBrowser.form, ("Origin", harness.base)])
            #expect(logout.status == 303)
            let location = try #require(logout.header("location"))
            #expect(location.hasPrefix(harness.provider.issuer + "/logout?client_id=portal&id_token_hint="))
            #expect(location.hasSuffix("&post_logout_redirect_uri=" + Self.encoded(harness.base + "/")))
            #expect(logout.header("set-cookie")?.hasPrefix("portcullis_session=; Path=/; Max-Age=0") == true)
            #expect(try await browser.get("/").body == "anonymous")
            // Revoked on the server: the old cookie opens nothing.
            #expect(try await Curl.request("GET", harness.base + "/", headers: [("Cookie", cookie)]).body == "anonymous")
            // Signed out already: a second post just goes to the after-logout URL.
            let again = try await browser.post("/logout", form: "csrf=\(csrf)")
            #expect(again.status == 303 && again.header("location") == harness.base + "/")
        }
    }

    /// A loopback URL as the relying party form-encodes it.
    static func encoded(_ url: String) -> String {
        url.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "/", with: "%2F")
    }

    @Test func misconfigurationsAreRefused() throws {
        let provider = try TestProvider(base: "http://127.0.0.1:9").oidcProvider()
        func make(_ publicURL: String, paths: OIDCSignIn.Paths = .init()) throws(PortcullisError) -> OIDCSignIn {
            try OIDCSignIn(
                provider: provider, clientID: "portal", clientAuthentication: .none, publicURL: publicURL,
                sessionKeys: [try SessionKey.generate(id: "k1")], paths: paths)
        }
        #expect(try make("https://portal.example.com:443/").publicOrigin == "https://portal.example.com")
        #expect(try make("HTTP://Portal.Example.com:8080").publicOrigin == "http://portal.example.com:8080")
        for url in ["https://portal.example.com/app", "ftp://portal.example.com", "https://user@portal.example.com", "https://"] {
            #expect(throws: PortcullisError.self, "\(url)") { try make(url) }
        }
        for paths in [OIDCSignIn.Paths(login: "login"), .init(callback: "/cb/:id"), .init(logout: "/login"), .init(login: "/a//b")] {
            let error = #expect(throws: PortcullisError.self) { try make("https://portal.example.com", paths: paths) }
            #expect(error?.code == .malformed)
        }
        let noKey = #expect(throws: PortcullisError.self) {
            try OIDCSignIn(provider: provider, clientID: "p", clientAuthentication: .none, publicURL: "https://p.example", sessionKeys: [])
        }
        #expect(noKey?.code == .invalidKey)
    }
}
