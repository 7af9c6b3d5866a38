import ExamplesTestSupport
import Hummingbird
import Logging
import Portcullis
import PortcullisHummingbird
import PortcullisTesting
import Testing

/// The Hummingbird adapter in a small application of its own, over real HTTP on 127.0.0.1.
@Suite("Hummingbird adapter")
struct AdapterTests {
    typealias Context = PortcullisRequestContext

    /// Runs `body` against an app whose routes show every way of wiring the middleware.
    static func withApp(_ body: (String, TestIssuer) async throws -> Void) async throws {
        let issuer = try TestIssuer(clock: TestClock(NumericDate.now.secondsSince1970))
        var audit = Logger(label: "audit")
        audit.logLevel = .critical
        let authorizer = Authorizer(
            verifier: try issuer.verifier(),
            // The limiter's clock stands still: budgets do not refill while slow requests run.
            configuration: AuthorizerConfiguration(
                realm: "adapter-test", audit: AuditConfiguration(logger: audit), rateLimiter: RateLimiter(clock: { 1_000 })))
        let router = Router(context: Context.self)
        // Per-group requirement: every route in the group needs models:read, limited to 3 per minute.
        router.group("group")
            .add(middleware: PortcullisMiddleware<Context>(authorizer, requirement: RouteRequirement(
                "group", policy: RequireScopes(allOf: ["models:read"]),
                rateLimit: RateLimitRule(key: .subject, limit: .fixed(.perMinute(3), name: "group")))))
            .get("whoami") { _, context in try context.principal().subject ?? "" }
        // Authenticate-only middleware, and a per-route requirement inside the handler.
        router.group("route")
            .add(middleware: PortcullisMiddleware<Context>(authorizer))
            .post("deploy") { request, context -> String in
                var context = context
                let principal = try context.authorize(
                    RouteRequirement("deploy", policy: RequireScopes(allOf: ["models:deploy"])), request: request)
                return "deployed by \(principal.subject ?? "?")"
            }
        // A handler that reads the principal without any middleware fails closed.
        router.get("unwired") { _, context in try context.principal().subject ?? "" }
        var quiet = Logger(label: "server")
        quiet.logLevel = .critical
        try await LiveServer.onFreePort { port in
            let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: port))
            try await LiveServer.with({ started in
                Application(router: router, configuration: configuration, onServerRunning: { _ in await started() }, logger: quiet)
            }) {
                try await body("http://127.0.0.1:\(port)", issuer)
            }
        }
    }

    static func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }

    /// The harnesses' port retry: a port another listener holds is given up for another.
    @Test func aTakenPortIsRetriedWithAnother() async throws {
        var quiet = Logger(label: "server")
        quiet.logLevel = .critical
        func app(_ port: Int, _ started: @escaping @Sendable () async -> Void) -> some ApplicationProtocol {
            Application(
                router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: port)),
                onServerRunning: { _ in await started() }, logger: quiet)
        }
        let taken = try await Subprocess.freePort()
        try await LiveServer.with({ started in app(taken, started) }) {
            var ports: [Int] = []
            let served = try await LiveServer.onFreePort { port in
                ports.append(ports.isEmpty ? taken : port)
                return try await LiveServer.with({ started in app(ports[ports.count - 1], started) }) { ports[ports.count - 1] }
            }
            #expect(ports.count == 2)
            #expect(served != taken && served == ports[1])
        }
    }

    @Test func groupRequirementAllowsAndExposesThePrincipal() async throws {
        try await Self.withApp { base, issuer in
            let token = try issuer.mint(subject: "alice", scopes: ["models:read"])
            let result = try await Curl.request("GET", base + "/group/whoami", headers: Self.bearer(token))
            #expect(result.status == 200)
            #expect(result.body == "alice")
            #expect(result.header("RateLimit-Policy") == "\"group\";q=3;w=60")
            #expect(result.header("RateLimit")?.hasPrefix("\"group\";r=2;") == true)
        }
    }

    @Test func groupRequirementRefusesAMissingScopeWithItsChallenge() async throws {
        try await Self.withApp { base, issuer in
            let token = try issuer.mint(subject: "bob", scopes: ["other"])
            let result = try await Curl.request("GET", base + "/group/whoami", headers: Self.bearer(token))
            #expect(result.status == 403)
            #expect(result.header("WWW-Authenticate")
                == "Bearer realm=\"adapter-test\", error=\"insufficient_scope\", error_description=\"the token lacks the scope models:read\", scope=\"models:read\"")
            #expect(result.json?["error"] as? String == "insufficient_scope")
        }
    }

    @Test func groupRateLimitAnswers429WithRetryAfter() async throws {
        try await Self.withApp { base, issuer in
            let token = try issuer.mint(subject: "carol", scopes: ["models:read"])
            for _ in 0..<3 {
                #expect(try await Curl.request("GET", base + "/group/whoami", headers: Self.bearer(token)).status == 200)
            }
            let limited = try await Curl.request("GET", base + "/group/whoami", headers: Self.bearer(token))
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After").flatMap(Int.init).map { (1...20).contains($0) } == true)
            #expect(limited.header("RateLimit")?.hasPrefix("\"group\";r=0;") == true)
            #expect(limited.json?["error"] as? String == "rate_limited")
        }
    }

    @Test func handlerRequirementThrowsARefusalThatBecomesTheResponse() async throws {
        try await Self.withApp { base, issuer in
            let viewer = try issuer.mint(subject: "dave", scopes: ["models:read"])
            let refused = try await Curl.request("POST", base + "/route/deploy", headers: Self.bearer(viewer))
            #expect(refused.status == 403)
            #expect(refused.header("WWW-Authenticate")?.contains("scope=\"models:deploy\"") == true)
            let admin = try issuer.mint(subject: "erin", scopes: ["models:deploy"])
            let allowed = try await Curl.request("POST", base + "/route/deploy", headers: Self.bearer(admin))
            #expect(allowed.status == 200)
            #expect(allowed.body == "deployed by erin")
        }
    }

    @Test func aHandlerWithoutTheMiddlewareFailsClosed() async throws {
        try await Self.withApp { base, issuer in
            let token = try issuer.mint(subject: "frank", scopes: ["models:read"])
            let result = try await Curl.request("GET", base + "/unwired", headers: Self.bearer(token))
            #expect(result.status == 401)
        }
    }

    @Test func middlewareRefusesBeforeTheHandlerRuns() async throws {
        try await Self.withApp { base, issuer in
            let expired = try issuer.mint(subject: "gina", scopes: ["models:deploy"], lifetime: -300)
            let result = try await Curl.request("POST", base + "/route/deploy", headers: Self.bearer(expired))
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "expired")
            #expect(result.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"adapter-test\", error=\"invalid_token\"") == true)
        }
    }
}
