import ExamplesTestSupport
import Foundation
import Hummingbird
import Logging
import Portcullis
import PortcullisHummingbird
import PortcullisTesting

/// A server on 127.0.0.1 with the in-process ``TestProvider`` and an application signed in
/// through ``OIDCSignIn``:
/// - the sign-in routes (`/login`, `/callback`, `/logout`);
/// - `GET /` with an optional session: `signed in as <sub>` or `anonymous`;
/// - `/app/…` requiring a session, authorizing it, and CSRF-checking posts: `GET /app/me` (the
///   subject), `GET /app/csrf` (the CSRF token), `POST /app/note` (echoes the form's `note` and the
///   body's length, read again), `POST /app/archive` (needs the permission `reports:archive`,
///   which the role `admin` has);
/// - `POST /open/note`: an optional session and CSRF checks.
struct SignInHarness {
    let base: String
    let provider: TestProvider
    let signIn: OIDCSignIn

    static let archive = RouteRequirement(
        "reports:archive", policy: RequirePermission("reports:archive", roles: RoleMap([("admin", ["reports:archive"]), ("viewer", [])])))

    static func run(
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, _ body: (SignInHarness) async throws -> Void
    ) async throws {
        try await LiveServer.onFreePort { port in
            let base = "http://127.0.0.1:\(port)"
            let provider = try TestProvider(base: base)
            let signIn = try OIDCSignIn(
                provider: try provider.oidcProvider(), clientID: TestProvider.clientID,
                clientAuthentication: .clientSecretBasic(TestProvider.clientSecret), publicURL: base,
                sessionKeys: [try SessionKey.generate(id: "k1")], clock: clock)
            var audit = Logger(label: "audit")
            audit.logLevel = .critical
            let authorizer = Authorizer(
                verifier: try provider.keys.verifier(),
                configuration: AuthorizerConfiguration(realm: "sign-in-test", audit: AuditConfiguration(logger: audit)))

            let router = Router(context: PortcullisRequestContext.self)
            try provider.register(on: router)
            signIn.addRoutes(to: router)
            router.group().add(middleware: SessionMiddleware(signIn)).get("/") { _, context in
                context.portcullis.session.map { "signed in as \($0.subject)" } ?? "anonymous"
            }
            let app = router.group("app")
                .add(middleware: SessionMiddleware(signIn, authorizer: authorizer, requireSignIn: true))
                .add(middleware: CSRFMiddleware(signIn))
            app.get("me") { _, context in try context.session().subject }
            app.get("csrf") { _, context in try context.session().csrfToken }
            app.post("note") { request, context in try await note(request, context) }
            app.post("archive") { request, context -> String in
                var context = context
                try context.authorize(archive, request: request)
                return "archived by \(try context.session().subject)"
            }
            router.group("open")
                .add(middleware: SessionMiddleware(signIn))
                .add(middleware: CSRFMiddleware(signIn))
                .post("note") { request, context in try await note(request, context) }

            var quiet = Logger(label: "server")
            quiet.logLevel = .critical
            let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: port))
            try await LiveServer.with({ started in
                Application(router: router, configuration: configuration, onServerRunning: { _ in await started() }, logger: quiet)
            }) {
                try await body(SignInHarness(base: base, provider: provider, signIn: signIn))
            }
        }
    }

    /// The form's `note`, and the body's length read again from the request.
    private static func note(_ request: Request, _ context: PortcullisRequestContext) async throws -> String {
        let form = try context.verifiedForm()
        var request = request
        let body = try await request.collectBody(upTo: 65_536)
        return "note=\(form["note"] ?? "-") length=\(body.readableBytes)"
    }
}

/// A scripted browser: curl with a cookie jar, redirects stepped through one by one.
struct CookieBrowser {
    static let form = ("Content-Type", "application/x-www-form-urlencoded")
    let base: String
    let jar = FileManager.default.temporaryDirectory.appendingPathComponent("signin-jar-\(UUID().uuidString)").path

    func get(_ path: String, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await Curl.request("GET", path.hasPrefix("http") ? path : base + path, headers: headers, cookieJar: jar)
    }

    func post(_ path: String, form: String, headers: [(String, String)] = [Self.form]) async throws -> HTTPResult {
        try await Curl.request("POST", base + path, headers: headers, body: form, cookieJar: jar)
    }

    /// `GET /login?<loginQuery>`, then the provider as `user` (or its refusal).
    /// - Returns: The provider's redirect back (the callback URL).
    func authorize(as user: String, loginQuery: String = "", deny: Bool = false) async throws -> String {
        let login = try await get("/login" + (loginQuery.isEmpty ? "" : "?" + loginQuery))
        guard login.status == 303, let provider = login.header("location") else {
            throw CurlError(message: "/login: \(login.status) \(login.body)")
        }
        let answer = try await get(provider + (deny ? "&deny=1" : "&user=\(user)"))
        guard answer.status == 302, let callback = answer.header("location"), callback.hasPrefix(base + "/callback?") else {
            throw CurlError(message: "provider: \(answer.status) \(answer.body)")
        }
        return callback
    }

    /// A whole sign-in; returns the callback's answer.
    @discardableResult
    func signIn(as user: String, loginQuery: String = "") async throws -> HTTPResult {
        try await get(try await authorize(as: user, loginQuery: loginQuery))
    }

    /// The session's CSRF token.
    func csrfToken() async throws -> String {
        let result = try await get("/app/csrf")
        guard result.status == 200 else { throw CurlError(message: "/app/csrf: \(result.status)") }
        return result.body
    }

    /// The session cookie in the jar, as a `Cookie` header value.
    var sessionCookie: String? { Curl.cookie(named: "portcullis_session", inJar: jar) }

    func remove() { try? FileManager.default.removeItem(atPath: jar) }
}
