import ExamplesTestSupport
import Foundation

/// A scripted browser: curl with a cookie jar, redirects stepped through one by one so each hop
/// can be checked. Signs in through the portal's own `/login` → provider consent form →
/// `/callback`.
struct SignInBrowser {
    let base: String
    let jar: String

    /// A browser with a new cookie jar, or with `jar` (another browser's cookies).
    init(base: String, jar: String? = nil) {
        self.base = base
        self.jar = jar ?? FileManager.default.temporaryDirectory.appendingPathComponent("portal-jar-\(UUID().uuidString)").path
    }

    func get(_ path: String) async throws -> HTTPResult {
        try await Curl.request("GET", path.hasPrefix("http") ? path : base + path, cookieJar: jar)
    }

    func post(_ path: String, form: String) async throws -> HTTPResult {
        try await Curl.request(
            "POST", path.hasPrefix("http") ? path : base + path,
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form, cookieJar: jar)
    }

    /// A JSON API call authenticated by the session cookie only.
    func api(_ method: String, _ path: String, json: String?, contentType: String? = "application/json") async throws -> HTTPResult {
        var headers: [(String, String)] = []
        if method != "GET", let contentType { headers.append(("Content-Type", contentType)) }
        return try await Curl.request(method, base + path, headers: headers, body: json, cookieJar: jar)
    }

    /// `/login`, then the provider's consent form as `subject` (or its deny button).
    /// - Returns: The provider's redirect back to the portal (the callback URL).
    func authorize(as subject: String, deny: Bool = false) async throws -> String {
        let login = try await get("/login")
        guard login.status == 303, let provider = login.header("location") else {
            throw CurlError(message: "/login: \(login.status) \(login.body)")
        }
        let consent = try await post(provider, form: deny ? "action=deny" : "sub=\(subject)")
        guard consent.status == 302, let callback = consent.header("location"), callback.hasPrefix(base + "/callback?") else {
            throw CurlError(message: "consent: \(consent.status) \(consent.body)")
        }
        return callback
    }

    /// A complete sign-in; returns the callback's answer (a 303 to `/models` when it worked).
    @discardableResult
    func signIn(as subject: String) async throws -> HTTPResult {
        let result = try await get(try await authorize(as: subject))
        guard result.status == 303 else { throw CurlError(message: "callback: \(result.status) \(result.body)") }
        return result
    }

    /// The CSRF token of the signed-in session, from the home page's sign-out form.
    func csrfToken() async throws -> String {
        let home = try await get("/")
        guard let range = home.body.range(of: #"name="csrf" value=""#),
              let end = home.body[range.upperBound...].firstIndex(of: "\"")
        else { throw CurlError(message: "no CSRF token on /: \(home.body)") }
        return String(home.body[range.upperBound..<end])
    }

    /// The jar's session cookie line (to replay it later from another client).
    var sessionCookie: String? { Curl.cookie(named: "portcullis_session", inJar: jar) }

    func remove() { try? FileManager.default.removeItem(atPath: jar) }
}
