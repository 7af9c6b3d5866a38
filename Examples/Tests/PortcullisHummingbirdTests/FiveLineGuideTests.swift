import ExamplesTestSupport
import Hummingbird
import Portcullis
import PortcullisHummingbird
import PortcullisTesting
import Testing

/// The README's and the guide's five lines, verbatim, compile and behave as described.
@Suite("The five-line guide")
struct FiveLineGuideTests {
    @Test func theFiveLinesProtectTheRoute() async throws {
        let issuer = try TestIssuer(
            issuer: "https://login.example.com", audience: "api://completions", clock: TestClock(NumericDate.now.secondsSince1970))
        let jwks = JSONValue.object(try issuer.jwks().jsonObject(includingPrivate: false)).serializedBytes()

        // --- the five lines ---
        let verifier = JWTVerifier(keys: try KeySet(jwksJSON: jwks), configuration: VerifierConfiguration(
            algorithms: [.es256], issuers: ["https://login.example.com"], audiences: ["api://completions"]))
        let authorizer = Authorizer(verifier: verifier, configuration: .init(realm: "completions"))
        let router = Router(context: PortcullisRequestContext.self)
        router.group("v1").add(middleware: PortcullisMiddleware(authorizer, requirement: .scopes("completions")))
            .get("models") { _, context in try context.principal().subject ?? "" }
        // ---

        let port = try await Subprocess.freePort()
        try await LiveServer.with({ started in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                        onServerRunning: { _ in await started() })
        }) {
            let url = "http://127.0.0.1:\(port)/v1/models"
            let token = try issuer.mint(subject: "reader", scopes: ["completions"])
            let allowed = try await Curl.request("GET", url, headers: [("Authorization", "Bearer \(token)")])
            #expect(allowed.status == 200 && allowed.body == "reader")
            let missing = try await Curl.request("GET", url)
            #expect(missing.status == 401 && missing.header("WWW-Authenticate") == "Bearer realm=\"completions\"")
            let unscoped = try await Curl.request("GET", url, headers: [("Authorization", "Bearer \(try issuer.mint(scopes: ["x"]))")])
            #expect(unscoped.status == 403 && unscoped.header("WWW-Authenticate")?.contains("scope=\"completions\"") == true)
        }
    }
}
