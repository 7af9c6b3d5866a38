import Foundation
import HTTPTypes
import Logging
import Portcullis

/// `--policy` (continued): the middleware core's own cost per request. The same HS256 token is
/// verified alone (`JWTVerifier.verify`), then taken through the whole `Authorizer` — bearer
/// extraction, verification, policy (scopes + tier), rate-limit bookkeeping, audit event and
/// counters — and the difference is what the middleware adds to the signature check.
enum MiddlewareBench {
    static func run(_ options: Options) async throws -> [PolicyBench.Result] {
        let secret = [UInt8](repeating: 9, count: 32)
        let signer = try JWTSigner(key: try CryptoKey(hmacSecret: secret), algorithm: .hs256, keyID: "k1")
        let now = Date().timeIntervalSince1970
        let token = try signer.sign([
            "iss": "https://issuer.test", "sub": "user-42", "aud": "api", "client_id": "app",
            "exp": .number(JSONNumber(Int64(now + 3600))), "iat": .number(JSONNumber(Int64(now))),
            "scope": "completions completions:premium", "jti": "b4e1c7d2",
        ], type: "at+jwt")
        let keys = KeySet([VerificationKey(try CryptoKey(hmacSecret: secret), keyID: "k1", algorithm: .hs256)])
        let verifier = JWTVerifier(keys: keys, configuration: VerifierConfiguration(
            algorithms: [.hs256], issuers: ["https://issuer.test"], audiences: ["api"]))
        var audit = Logger(label: "bench")
        audit.logLevel = .warning   // decisions counted, not printed: what a busy server runs with
        let authorizer = Authorizer(verifier: verifier, configuration: AuthorizerConfiguration(
            realm: "bench", audit: AuditConfiguration(logger: audit)))
        let catalog = TierCatalog(tiers: [
            Tier(name: "free", scopes: ["completions"], models: ["small"], maxTokens: 256, rateLimit: .perMinute(1_000_000_000)),
            Tier(name: "premium", scopes: ["completions", "completions:premium"], models: ["small", "large"],
                 maxTokens: 4096, rateLimit: .perMinute(1_000_000_000)),
        ])
        let requirement = RouteRequirement("completions", rateLimit: RateLimitRule(key: .subject, limit: .tiers(catalog))) {
            RequireScopes(allOf: ["completions"])
            TierLimits(catalog)
        }
        var request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1", path: "/v1/completions")
        request.headerFields[.authorization] = "Bearer " + token
        request.headerFields[.contentType] = "application/json"
        let attributes = RequestAttributes(method: "POST", route: "/v1/completions", model: "large", maxTokens: 512)
        _ = try await authorizer.authorize(request, requirement: requirement, attributes: attributes)

        PortcullisBenchmarks.log("middleware: verify alone for \(options.seconds) s")
        let alone = measure(seconds: options.seconds, warmup: options.warmup) { blackHole(try? verifier.verify(token)) }
        PortcullisBenchmarks.log("middleware: the whole Authorizer for \(options.seconds) s")
        let whole = try await measureAsync(seconds: options.seconds) {
            _ = try await authorizer.authorize(request, requirement: requirement, attributes: attributes)
        }
        let verifyNanoseconds = 1e9 / alone.opsPerSecond

        // Where the difference goes: each step alone.
        let verified = try verifier.verify(token)
        let extractor = BearerTokenExtractor()
        PortcullisBenchmarks.log("middleware: steps for \(options.seconds) s each")
        let extraction = measure(seconds: options.seconds, warmup: options.warmup) {
            blackHole(try? extractor.token(in: request))
        }
        let context = measure(seconds: options.seconds, warmup: options.warmup) {
            blackHole(PolicyContext(token: verified, request: attributes))
        }
        let prepared = PolicyContext(token: verified, request: attributes)
        let policy = measure(seconds: options.seconds, warmup: options.warmup) {
            blackHole(requirement.policy.evaluate(prepared))
        }
        let limiter = RateLimiter()
        let rule = RateLimitRule(key: .subject, limit: .fixed(RateLimit(requests: 1_000_000_000, period: 1), name: "bench"))
        let limit = measure(seconds: options.seconds, warmup: options.warmup) {
            blackHole(limiter.check("bench|sub:" + (verified.subject ?? "-"), limit: RateLimit(requests: 1_000_000_000, period: 1)))
        }
        _ = rule
        return [
            PolicyBench.Result(name: "  step: bearer extraction from HTTPRequest", nanoseconds: 1e9 / extraction.opsPerSecond, target: .infinity),
            PolicyBench.Result(name: "  step: PolicyContext (scopes split)", nanoseconds: 1e9 / context.opsPerSecond, target: .infinity),
            PolicyBench.Result(name: "  step: route policy (scopes + tier)", nanoseconds: 1e9 / policy.opsPerSecond, target: .infinity),
            PolicyBench.Result(name: "  step: rate-limit key + check", nanoseconds: 1e9 / limit.opsPerSecond, target: .infinity),
            PolicyBench.Result(name: "HS256 verify alone", nanoseconds: verifyNanoseconds, target: .infinity),
            PolicyBench.Result(name: "Authorizer: extract + verify + policy + rate limit + audit (HS256)", nanoseconds: whole, target: .infinity),
            PolicyBench.Result(name: "the middleware's own work (the difference)", nanoseconds: whole - verifyNanoseconds, target: 2000),
        ]
    }

    /// Nanoseconds per call of an async operation, over `seconds`.
    static func measureAsync(seconds: Double, _ operation: () async throws -> Void) async throws -> Double {
        for _ in 0..<1000 { try await operation() }
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        while clock.now - start < .seconds(seconds) {
            for _ in 0..<1000 { try await operation() }
            calls += 1000
        }
        let elapsed = clock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return nanoseconds / Double(calls)
    }
}
