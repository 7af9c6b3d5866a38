import Foundation
import Portcullis

/// `--policy`: the authorization hot path. A typical route policy (scopes + tenant alignment +
/// tier limits) evaluated on a prepared context, and an uncontended rate-limiter check.
enum PolicyBench {
    struct Result: Sendable {
        var name: String
        var nanoseconds: Double
        var target: Double
        var meets: Bool { nanoseconds <= target }
    }

    static func run(_ options: Options) throws -> [Result] {
        let secret = [UInt8](repeating: 7, count: 32)
        let signer = try JWTSigner(key: try CryptoKey(hmacSecret: secret), algorithm: .hs256, keyID: "k1")
        let now = Date().timeIntervalSince1970
        let claims: JSONObject = [
            "iss": .string("https://issuer.test"), "sub": .string("svc-42"), "aud": .string("api"),
            "exp": .number(JSONNumber(Int64(now + 3600))), "iat": .number(JSONNumber(Int64(now))),
            "tenant": .string("t123"), "tier": .string("premium"), "client_id": .string("partner-app"),
            "scope": .string("openid dataset:read:t123 dataset:query:t123 analytics"),
        ]
        let token = try signer.sign(claims, type: "at+jwt")
        let keys = KeySet([VerificationKey(try CryptoKey(hmacSecret: secret), keyID: "k1", algorithm: .hs256)])
        let verifier = JWTVerifier(keys: keys, configuration: VerifierConfiguration(algorithms: [.hs256], issuers: ["https://issuer.test"], audiences: ["api"]))
        let verified = try verifier.verify(token)
        let request = RequestAttributes(
            method: "POST", route: "/v1/datasets/{tenant}/{name}/query", model: "small", maxTokens: 100,
            resource: ResourceAttributes(tenant: "t123", id: "sales"))
        let context = PolicyContext(token: verified, request: request)
        let catalog = TierCatalog(
            tiers: [
                Tier(name: "free", models: ["small"], maxTokens: 256, rateLimit: .perMinute(10)),
                Tier(name: "premium", models: ["small", "large"], maxTokens: 4096, rateLimit: .perMinute(100)),
            ], source: .claim("tier"), defaultTier: "free")
        let policy = try AllOf("POST /v1/datasets/{tenant}/{name}/query") {
            RequireScopes(allOf: ["analytics"])
            try TenantAlignment(scopeTemplate: "dataset:query:{resource.tenant}")
            TierLimits(catalog)
        }
        guard policy.evaluate(context).isAllowed else { throw Options.UsageError(description: "the benchmark policy denied") }

        PortcullisBenchmarks.log("policy: route policy for \(options.seconds) s")
        let evaluation = measure(seconds: options.seconds, warmup: options.warmup) { blackHole(policy.evaluate(context)) }
        let limiter = RateLimiter()
        let limit = RateLimit(requests: 1_000_000_000, period: 1)
        PortcullisBenchmarks.log("policy: limiter check for \(options.seconds) s")
        let check = measure(seconds: options.seconds, warmup: options.warmup) { blackHole(limiter.check("svc-42", limit: limit)) }
        return [
            Result(name: "route policy (scopes + tenant + tier)", nanoseconds: 1e9 / evaluation.opsPerSecond, target: 1000),
            Result(name: "rate limiter check (uncontended)", nanoseconds: 1e9 / check.opsPerSecond, target: 200),
        ]
    }

    static func report(_ results: [Result], json: Bool) -> String {
        if json {
            let rows = results.map { result in
                let target = result.target.isFinite ? "\(Int(result.target))" : "null"
                return "{\"name\": \"\(result.name)\", \"ns\": \(Int(result.nanoseconds.rounded())), \"target_ns\": \(target), \"meets_target\": \(result.meets)}"
            }
            return "{\"policy\": [" + rows.joined(separator: ", ") + "]}"
        }
        var lines = ["| measurement | ns/op | target | |", "|---|---|---|---|"]
        for result in results {
            let target = result.target.isFinite ? "≤ \(Int(result.target))" : "—"
            let verdict = result.target.isFinite ? (result.meets ? "pass" : "**miss**") : ""
            lines.append("| \(result.name) | \(Int(result.nanoseconds.rounded())) | \(target) | \(verdict) |")
        }
        return lines.joined(separator: "\n")
    }
}
