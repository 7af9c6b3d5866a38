import CompletionServerKit
import ExamplesTestSupport
import Foundation
import Portcullis
import Testing

/// Every status and header of the DESIGN.md completion-server contract, over real HTTP.
@Suite("Completion server: the HTTP contract")
struct ContractTests {
    @Test func healthNeedsNoToken() async throws {
        try await Harness.run { harness in
            let result = try await harness.get("/healthz")
            #expect(result.status == 200)
            #expect(result.json?["status"] as? String == "ok")
        }
    }

    @Test func noTokenGetsABareChallenge() async throws {
        try await Harness.run { harness in
            for result in [try await harness.get("/v1/models"), try await harness.complete(Harness.body(model: "small"), token: nil)] {
                #expect(result.status == 401)
                #expect(result.header("WWW-Authenticate") == "Bearer realm=\"completions\"")
                #expect(result.json?["error"] as? String == "missing_token")
            }
        }
    }

    @Test func badTokenGetsInvalidTokenWithADescription() async throws {
        try await Harness.run { harness in
            let result = try await harness.get("/v1/models", token: "not.a.token")
            #expect(result.status == 401)
            let challenge = try #require(result.header("WWW-Authenticate"))
            #expect(challenge.hasPrefix("Bearer realm=\"completions\", error=\"invalid_token\", error_description=\""))
            #expect(result.json?["error"] as? String == "malformed")
            #expect((result.json?["message"] as? String)?.isEmpty == false)
        }
    }

    @Test func expiredTokenIsRefused() async throws {
        try await Harness.run { harness in
            let issuer = try #require(harness.server.developmentIssuer)
            let old = try issuer.mint(tier: "premium", now: Date().timeIntervalSince1970 - 7200).token
            let result = try await harness.get("/v1/models", token: old)
            #expect(result.status == 401)
            #expect(result.json?["error"] as? String == "expired")
            #expect(result.header("WWW-Authenticate")?.contains("error=\"invalid_token\"") == true)
        }
    }

    @Test(arguments: ["Bearer", "bearer", "BEARER", "bEaReR"])
    func schemeIsCaseInsensitive(scheme: String) async throws {
        try await Harness.run { harness in
            let token = try await harness.token("free")
            let result = try await harness.get("/v1/models", headers: [("Authorization", "\(scheme) \(token)")])
            #expect(result.status == 200)
        }
    }

    @Test func twoCredentialsAreAnInvalidRequest() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("free")
            let twoHeaders = try await harness.get(
                "/v1/models", headers: [("Authorization", "Bearer \(token)"), ("Authorization", "Bearer \(token)")])
            #expect(twoHeaders.status == 400)
            #expect(twoHeaders.header("WWW-Authenticate")?.contains("error=\"invalid_request\"") == true)
            #expect(twoHeaders.json?["error"] as? String == "invalid_request")
            let headerAndQuery = try await harness.get("/v1/models?access_token=\(token)", token: token)
            #expect(headerAndQuery.status == 400)
            #expect(headerAndQuery.json?["error"] as? String == "invalid_request")
        }
    }

    @Test func queryTokensAreRefusedByDefault() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("free")
            let result = try await harness.get("/v1/models?access_token=\(token)")
            #expect(result.status == 400)
            #expect((result.json?["message"] as? String)?.contains("URL") == true)
        }
    }

    @Test func malformedBodyIs400() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("premium")
            for body in ["{", "[]", "{\"model\": 3, \"prompt\": \"x\"}", "{\"model\": \"huge\", \"prompt\": \"x\"}",
                         "{\"model\": \"small\"}", Harness.body(model: "small", maxTokens: 0), Harness.body(model: "small", maxTokens: 5000)] {
                let result = try await harness.complete(body, token: token)
                #expect(result.status == 400, "body \(body)")
                #expect(result.json?["error"] as? String == "invalid_request")
            }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("premium")
            let prompt = String(repeating: "a", count: 70_000)
            let result = try await harness.complete(Harness.body(model: "small", prompt: prompt), token: token)
            #expect(result.status == 413)
            #expect(result.json?["error"] as? String == "request_too_large")
        }
    }

    /// The limiter's clock stands still, so the budget is exact however long the requests take
    /// on a busy machine.
    @Test func freeTierIsRateLimitedAt10PerMinute() async throws {
        try await Harness.run(rateLimiter: RateLimiter(clock: { 1_000 })) { harness in
            let token = try await harness.token("free", subject: "rate-test")
            for index in 1...10 {
                let result = try await harness.get("/v1/models", token: token)
                #expect(result.status == 200, "request \(index)")
                // r: requests left; t: seconds until the whole budget is back (6 s per request used).
                #expect(result.header("RateLimit") == "\"free\";r=\(10 - index);t=\(index * 6)")
                #expect(result.header("RateLimit-Policy") == "\"free\";q=10;w=60")
            }
            let limited = try await harness.get("/v1/models", token: token)
            #expect(limited.status == 429)
            #expect(limited.json?["error"] as? String == "rate_limited")
            let retryAfter = try #require(limited.header("Retry-After").flatMap(Int.init))
            #expect(retryAfter == 6)
            // Another subject has its own budget.
            let other = try await harness.token("free", subject: "someone-else")
            #expect(try await harness.get("/v1/models", token: other).status == 200)
        }
    }
}
