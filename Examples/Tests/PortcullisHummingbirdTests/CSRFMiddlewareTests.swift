import ExamplesTestSupport
import Foundation
import Testing

/// `CSRFMiddleware` over real HTTP: the token, the origin, the size bound, the content type, and
/// the form handed to the handler.
@Suite("Hummingbird sign-in: CSRF protection of form posts")
struct CSRFMiddlewareTests {
    /// Runs `body` with a browser signed in as `ada` and its CSRF token.
    static func signedIn(_ body: (SignInHarness, CookieBrowser, String) async throws -> Void) async throws {
        try await SignInHarness.run { harness in
            let browser = CookieBrowser(base: harness.base)
            defer { browser.remove() }
            try await browser.signIn(as: "ada")
            try await body(harness, browser, try await browser.csrfToken())
        }
    }

    /// A refused post: the status, an HTML page with the reason code, and the handler never ran.
    static func expectRefused(_ result: HTTPResult, _ status: Int, _ reason: String) {
        #expect(result.status == status, "\(result.body)")
        #expect(result.header("content-type") == "text/html; charset=utf-8")
        #expect(result.body.contains("Request refused") && result.body.contains("<code>\(reason)</code>"), "\(result.body)")
        #expect(!result.body.contains("note="))
    }

    @Test func theFormWithTheRightTokenReachesTheHandlerParsedOnce() async throws {
        try await Self.signedIn { _, browser, csrf in
            let form = "note=a+b%21%E2%82%AC&csrf=\(csrf)"
            let result = try await browser.post("/app/note", form: form, headers: [("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")])
            #expect(result.status == 200)
            #expect(result.body == "note=a b!€ length=\(form.utf8.count)")
        }
    }

    @Test(arguments: ["note=x", "note=x&csrf=", "note=x&csrf=forged", "csrf=forged&csrf=%@", "csrf=%@&csrf=%@", "csrf=%@x", "CSRF=%@"])
    func aMissingWrongOrRepeatedTokenIs403(form: String) async throws {
        try await Self.signedIn { _, browser, csrf in
            let result = try await browser.post("/app/note", form: form.replacingOccurrences(of: "%@", with: csrf))
            Self.expectRefused(result, 403, "access_denied")
            #expect(result.body.contains("anti-forgery token is missing or wrong"))
        }
    }

    @Test(arguments: ["note=%zz&csrf=%@", "note=%FF&csrf=%@", String(repeating: "a=1&", count: 65) + "csrf=%@"])
    func anUnreadableFormIs400(form: String) async throws {
        try await Self.signedIn { _, browser, csrf in
            let result = try await browser.post("/app/note", form: form.replacingOccurrences(of: "%@", with: csrf))
            Self.expectRefused(result, 400, "invalid_request")
        }
    }

    @Test func anOversizedFormIs413() async throws {
        try await Self.signedIn { _, browser, csrf in
            let result = try await browser.post("/app/note", form: "csrf=\(csrf)&note=" + String(repeating: "x", count: 16_384))
            Self.expectRefused(result, 413, "request_too_large")
        }
    }

    @Test(arguments: ["https://evil.example", "null", "http://127.0.0.1", "http://localhost"])
    func aForeignOriginIs403(origin: String) async throws {
        try await Self.signedIn { _, browser, csrf in
            let result = try await browser.post("/app/note", form: "note=x&csrf=\(csrf)", headers: [CookieBrowser.form, ("Origin", origin)])
            Self.expectRefused(result, 403, "access_denied")
            #expect(result.body.contains("posted from another site"))
        }
    }

    @Test func theOwnOriginIsAccepted() async throws {
        try await Self.signedIn { harness, browser, csrf in
            let result = try await browser.post("/app/note", form: "note=x&csrf=\(csrf)", headers: [CookieBrowser.form, ("Origin", harness.base)])
            #expect(result.status == 200 && result.body.hasPrefix("note=x "))
        }
    }

    @Test(arguments: ["application/json", "multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencodedx"])
    func anotherContentTypeIs415(type: String) async throws {
        try await Self.signedIn { _, browser, csrf in
            let result = try await browser.post("/app/note", form: "note=x&csrf=\(csrf)", headers: [("Content-Type", type)])
            Self.expectRefused(result, 415, "invalid_request")
        }
    }

    @Test func aPostWithoutASessionIs403() async throws {
        try await SignInHarness.run { harness in
            let result = try await Curl.request("POST", harness.base + "/open/note", headers: [CookieBrowser.form], body: "note=x&csrf=x")
            Self.expectRefused(result, 403, "access_denied")
        }
    }

    @Test func aTokenOfAnotherSessionIs403() async throws {
        try await Self.signedIn { harness, browser, _ in
            let other = CookieBrowser(base: harness.base)
            defer { other.remove() }
            try await other.signIn(as: "vera")
            let result = try await browser.post("/app/note", form: "note=x&csrf=\(try await other.csrfToken())")
            Self.expectRefused(result, 403, "access_denied")
        }
    }
}
