import CompletionServerKit
import ExamplesTestSupport
import Foundation
import Testing

/// Scenario 1 of DESIGN.md: free vs premium, through the live server.
@Suite("Completion server: free vs premium")
struct TierTests {
    struct Case: Sendable, CustomStringConvertible {
        let tier: String
        let model: String
        let maxTokens: Int?
        let status: Int
        var description: String { "\(tier) \(model) max_tokens=\(maxTokens.map(String.init) ?? "default") → \(status)" }
    }

    static let cases: [Case] = [
        Case(tier: "free", model: "small", maxTokens: nil, status: 200),
        Case(tier: "free", model: "small", maxTokens: 256, status: 200),
        Case(tier: "free", model: "small", maxTokens: 257, status: 403),
        Case(tier: "free", model: "large", maxTokens: 16, status: 403),
        Case(tier: "premium", model: "small", maxTokens: 256, status: 200),
        Case(tier: "premium", model: "large", maxTokens: 1024, status: 200),
        Case(tier: "premium", model: "large", maxTokens: 4096, status: 200),
        Case(tier: "premium", model: "large", maxTokens: 4097, status: 400),
    ]

    /// `Examples/policies/completion.yaml`: the same policy as data.
    static let policyFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policies/completion.yaml").path

    @Test(arguments: [nil, policyFile])
    func tiersDecideModelsAndOutputLength(policyFile: String?) async throws {
        var configuration = CompletionServerConfiguration()
        configuration.policyFile = policyFile
        try await Harness.run(configuration) { harness in
            let tokens = ["free": try await harness.token("free"), "premium": try await harness.token("premium")]
            for testCase in Self.cases {
                let result = try await harness.complete(
                    Harness.body(model: testCase.model, maxTokens: testCase.maxTokens), token: tokens[testCase.tier])
                #expect(result.status == testCase.status, "\(testCase): \(result.body)")
                switch testCase.status {
                case 200:
                    let usage = try #require(result.json?["usage"] as? [String: Any])
                    let completion = try #require(usage["completion_tokens"] as? Int)
                    #expect(completion <= (testCase.maxTokens ?? 16))
                    #expect(result.json?["model"] as? String == testCase.model)
                    let choices = try #require(result.json?["choices"] as? [[String: Any]])
                    #expect((choices.first?["text"] as? String)?.split(separator: " ").count == completion)
                    #expect(result.header("RateLimit-Policy")?.hasPrefix("\"\(testCase.tier)\"") == true)
                case 403:
                    #expect(result.json?["error"] as? String == "insufficient_scope")
                    #expect(result.header("WWW-Authenticate")?.contains("scope=\"completions completions:premium\"") == true)
                default:
                    #expect(result.json?["error"] as? String == "invalid_request")
                }
            }
        }
    }

    @Test func theGeneratorIsDeterministic() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("premium")
            let body = Harness.body(model: "large", maxTokens: 64, prompt: "same prompt")
            let first = try await harness.complete(body, token: token)
            let second = try await harness.complete(body, token: token)
            let text = { (result: HTTPResult) in (result.json?["choices"] as? [[String: Any]])?.first?["text"] as? String }
            #expect(text(first) != nil)
            #expect(text(first) == text(second))
        }
    }

    @Test func modelsListWhatTheTierMayUse() async throws {
        try await Harness.run { harness in
            let free = try await harness.get("/v1/models", token: try await harness.token("free"))
            let premium = try await harness.get("/v1/models", token: try await harness.token("premium"))
            let ids = { (result: HTTPResult) in ((result.json?["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } }
            #expect(ids(free) == ["small"])
            #expect(ids(premium) == ["small", "large"])
            #expect(free.json?["tier"] as? String == "free")
        }
    }

    @Test(arguments: [nil, policyFile])
    func aTokenWithoutTheCompletionsScopeIsToldWhichScopeItNeeds(policyFile: String?) async throws {
        var configuration = CompletionServerConfiguration()
        configuration.policyFile = policyFile
        try await Harness.run(configuration) { harness in
            let issuer = try #require(harness.server.developmentIssuer)
            let token = try issuer.sign(scopes: ["models:read"], subject: "no-scope")
            for result in [try await harness.get("/v1/models", token: token),
                           try await harness.complete(Harness.body(model: "small"), token: token)] {
                #expect(result.status == 403)
                #expect(result.header("WWW-Authenticate")?.contains("error=\"insufficient_scope\"") == true)
                #expect(result.header("WWW-Authenticate")?.contains("scope=\"completions\"") == true)
            }
        }
    }

    @Test func aPolicyFileWithoutTheRoutesStopsTheServerAtStart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).yaml")
        try "version: 1\nroutes: []\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var configuration = CompletionServerConfiguration()
        configuration.policyFile = file.path
        await #expect(throws: (any Error).self) { _ = try await CompletionServer(configuration: configuration) }
    }
}
