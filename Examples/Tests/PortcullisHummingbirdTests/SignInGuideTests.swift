import ExamplesTestSupport
import Hummingbird
import Logging
import Portcullis
import PortcullisHummingbird
import Testing

/// The code of Docs/SignIn.md "Sign-in in a Hummingbird server: the pieces", verbatim between the
/// markers, compiled and run against the in-process ``TestProvider``.
@Suite("The sign-in guide")
struct SignInGuideTests {
    @Test func theGuideSignsInAuthorizesAndChecksForms() async throws {
        let port = try await Subprocess.freePort()
        let publicURL = "http://127.0.0.1:\(port)"
        let testProvider = try TestProvider(base: publicURL)
        let provider = try testProvider.oidcProvider()
        let secret = TestProvider.clientSecret
        var audit = AuditConfiguration()
        audit.logger.logLevel = .critical

        // --- the guide ---
        let signIn = try OIDCSignIn(
            provider: provider, clientID: "portal", clientAuthentication: .clientSecretBasic(secret),
            publicURL: publicURL, sessionKeys: [try SessionKey.generate(id: "2026-01")])
        let authorizer = Authorizer(
            verifier: OIDCVerifier(provider: provider, audiences: ["portal"]), configuration: .init(realm: "portal", audit: audit))
        let archive = RouteRequirement(
            "reports:archive", policy: RequirePermission("reports:archive", roles: RoleMap([("admin", ["reports:archive"])])))

        let router = Router(context: PortcullisRequestContext.self)
        signIn.addRoutes(to: router)                       // GET /login, GET /callback, GET and POST /logout
        let reports = router.group("reports")
            .add(middleware: SessionMiddleware(signIn, authorizer: authorizer, requireSignIn: true))
            .add(middleware: CSRFMiddleware(signIn))       // POSTs need the session's CSRF token
        reports.get { _, context in
            let session = try context.session()
            return SignInHTML.response(SignInHTML.csrfForm(
                action: "/reports/archive", csrfToken: session.csrfToken, button: "Archive",
                fields: #"<input name="name" value="q3">"#))
        }
        reports.post("archive") { request, context in
            var context = context
            try context.authorize(archive, request: request)  // the same policies as for bearer tokens
            return "archived \(try context.verifiedForm()["name"] ?? "")"
        }
        // ---

        try testProvider.register(on: router)
        try await LiveServer.with({ started in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                        onServerRunning: { _ in await started() })
        }) {
            let browser = CookieBrowser(base: publicURL)
            defer { browser.remove() }
            let first = try await browser.get("/reports")
            #expect(first.status == 303 && first.header("location") == "/login?return_to=%2Freports")
            let callback = try await browser.signIn(as: "ada", loginQuery: "return_to=%2Freports")
            #expect(callback.header("location") == "/reports")
            let page = try await browser.get("/reports")
            #expect(page.status == 200)
            let csrf = try #require(page.body.split(separator: "\"").drop { $0 != " value=" }.dropFirst().first)
            #expect(try await browser.post("/reports/archive", form: "name=q3").status == 403)
            let archived = try await browser.post("/reports/archive", form: "name=q3&csrf=\(csrf)")
            #expect(archived.status == 200 && archived.body == "archived q3")
        }
    }
}
