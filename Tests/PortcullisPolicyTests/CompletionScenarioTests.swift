import Foundation
import PortcullisJOSE
import PortcullisPolicy
import Testing

/// Scenario 1: free vs premium completions, built in Swift and loaded from completion.yaml.
@Suite("Scenario: free vs premium completions")
struct CompletionScenarioTests {
    static let free = Tier(
        name: "free", scopes: ["completions"], models: ["small"], maxTokens: 256,
        rateLimit: .perMinute(10), quota: .perDay(20_000, of: "completion_tokens"))
    static let premium = Tier(
        name: "premium", scopes: ["completions", "completions:premium"], models: ["small", "large"], maxTokens: 4096,
        rateLimit: .perMinute(100), quota: .perDay(2_000_000, of: "completion_tokens"))
    static let catalog = TierCatalog(tiers: [free, premium], source: .scopes, defaultTier: "free")

    static let swiftPolicy = AllOf("POST /v1/completions") {
        RequireScopes(allOf: ["completions"])
        TierLimits(catalog)
    }

    struct Case: Sendable, CustomStringConvertible {
        var scopes: [String]
        var model: String
        var maxTokens: Int
        var expected: Outcome
        var description: String { "\(scopes) \(model) \(maxTokens) → \(expected)" }
    }

    static let premiumScopes = ["completions", "completions:premium"]
    static let cases: [Case] = [
        Case(scopes: ["completions"], model: "small", maxTokens: 256, expected: .allow),
        Case(scopes: ["completions"], model: "small", maxTokens: 257, expected: Outcome(code: "insufficient_scope", requiredScopes: premiumScopes)),
        Case(scopes: ["completions"], model: "large", maxTokens: 16, expected: Outcome(code: "insufficient_scope", requiredScopes: premiumScopes)),
        Case(scopes: premiumScopes, model: "large", maxTokens: 4096, expected: .allow),
        Case(scopes: premiumScopes, model: "small", maxTokens: 1000, expected: .allow),
        Case(scopes: premiumScopes, model: "large", maxTokens: 4097, expected: Outcome(code: "access_denied")),
        Case(scopes: premiumScopes, model: "huge", maxTokens: 10, expected: Outcome(code: "access_denied")),
        Case(scopes: [], model: "small", maxTokens: 10, expected: Outcome(code: "insufficient_scope", requiredScopes: ["completions"])),
        Case(scopes: ["completions:premium"], model: "large", maxTokens: 10, expected: Outcome(code: "insufficient_scope", requiredScopes: ["completions"])),
        Case(scopes: ["Completions"], model: "small", maxTokens: 10, expected: Outcome(code: "insufficient_scope", requiredScopes: ["completions"])),
    ]

    @Test(arguments: cases)
    func swiftAndFilePoliciesDecideAlike(_ testCase: Case) throws {
        let request = RequestAttributes(method: "POST", route: "/v1/completions", model: testCase.model, maxTokens: testCase.maxTokens)
        let context = try Fixture.context(scopes: testCase.scopes, request: request)
        #expect(Outcome(Self.swiftPolicy.evaluate(context)) == testCase.expected)
        let document = try PolicyDocument.load(contentsOf: Fixture.examplePolicy("completion.yaml"))
        let loaded = try #require(document.policy(forMethod: "POST", route: "/v1/completions"))
        #expect(Outcome(loaded.evaluate(context)) == testCase.expected)
    }

    @Test func tiersCarryLimitsAndQuotas() throws {
        let document = try PolicyDocument.load(contentsOf: Fixture.examplePolicy("completion.yaml"))
        let catalog = try #require(document.catalog)
        #expect(catalog == Self.catalog)
        let freeContext = try Fixture.context(scopes: ["completions"])
        let premiumContext = try Fixture.context(scopes: Self.premiumScopes)
        #expect(catalog.resolve(freeContext)?.rateLimit == .perMinute(10))
        #expect(catalog.resolve(premiumContext)?.rateLimit == .perMinute(100))
        #expect(catalog.resolve(premiumContext)?.maxTokens == 4096)
        #expect(catalog.resolve(freeContext)?.quota?.limit == 20_000)
        #expect(document.policy(forMethod: "GET", route: "/v1/models") != nil)
        #expect(document.policy(forMethod: "GET", route: "/v1/completions") == nil)
    }

    @Test func freeAndPremiumRateLimitsDifferUnderTheLimiter() {
        let limiter = RateLimiter(clock: { 1000 })
        let free = (0..<11).map { _ in limiter.check("free-user", limit: Self.free.rateLimit!).allowed }
        let premium = (0..<101).map { _ in limiter.check("premium-user", limit: Self.premium.rateLimit!).allowed }
        #expect(free.filter { $0 }.count == 10)
        #expect(premium.filter { $0 }.count == 100)
    }
}
