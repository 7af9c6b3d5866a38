import CompletionServerKit
import ExamplesTestSupport
import Foundation
import Hummingbird
import Logging
import MetricsTestKit
import Portcullis
import PortcullisTesting

/// A completion server running in this process on a free 127.0.0.1 port, with its audit log and
/// metrics captured.
struct Harness {
    let server: CompletionServer
    let base: String
    let logs: RecordingLogHandler.Store
    let metrics: TestMetrics

    /// Runs `body` against a live server built from `configuration` (its port is replaced), its
    /// rate limits counted by `rateLimiter`.
    static func run(
        _ configuration: CompletionServerConfiguration = CompletionServerConfiguration(),
        rateLimiter: RateLimiter = RateLimiter(),
        _ body: (Harness) async throws -> Void
    ) async throws {
        try await LiveServer.onFreePort { port in
            var configuration = configuration
            configuration.port = port
            let logs = RecordingLogHandler.Store()
            let metrics = TestMetrics()
            let audit = AuditConfiguration(
                logger: Logger(label: "audit") { _ in RecordingLogHandler(store: logs) }, metricsFactory: metrics)
            let server = try await CompletionServer(configuration: configuration, audit: audit, rateLimiter: rateLimiter)
            let harness = Harness(server: server, base: configuration.publicURL, logs: logs, metrics: metrics)
            var quiet = Logger(label: "server")
            quiet.logLevel = .critical
            try await LiveServer.with({ started in server.application(logger: quiet, onServerRunning: started) }) {
                try await body(harness)
            }
        }
    }

    /// A development token for `tier`, fetched over HTTP from `POST /dev/token`.
    func token(_ tier: String, subject: String? = nil) async throws -> String {
        var form = "tier=\(tier)&format=text"
        if let subject { form += "&sub=\(subject)" }
        let result = try await Curl.request(
            "POST", base + "/dev/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
        guard result.status == 200 else { throw CurlError(message: "dev token: \(result.status) \(result.body)") }
        return result.body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func get(_ path: String, token: String? = nil, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await Curl.request("GET", base + path, headers: (token.map { [("Authorization", "Bearer \($0)")] } ?? []) + headers)
    }

    func complete(_ body: String, token: String?, headers: [(String, String)] = []) async throws -> HTTPResult {
        var all = [("Content-Type", "application/json")] + headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        return try await Curl.request("POST", base + "/v1/completions", headers: all, body: body)
    }

    static func body(model: String, maxTokens: Int? = nil, prompt: String = "Hello there") -> String {
        var fields = ["\"model\": \"\(model)\"", "\"prompt\": \"\(prompt)\""]
        if let maxTokens { fields.append("\"max_tokens\": \(maxTokens)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
