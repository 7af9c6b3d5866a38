import CompletionServerKit
import ExamplesTestSupport
import MetricsTestKit
import PortcullisTesting
import Testing

/// Every decision is logged (swift-log) and counted (swift-metrics), never with the token.
@Suite("Completion server: audit events and metrics")
struct AuditTests {
    @Test func decisionsAreLoggedWithTheClaimsThatDroveThemButNeverTheToken() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("free", subject: "audited-user")
            _ = try await harness.complete(Harness.body(model: "small"), token: token)
            _ = try await harness.complete(Harness.body(model: "large"), token: token)
            _ = try await harness.get("/v1/models", token: "garbage.token.here")

            let records = harness.logs.records
            let allow = try #require(records.first { $0.metadata["portcullis.decision"] == "allow" })
            #expect(allow.metadata["portcullis.sub"] == "audited-user")
            #expect(allow.metadata["portcullis.client_id"] == "dev-client")
            #expect(allow.metadata["portcullis.scopes"]?.contains("completions") == true)
            #expect(allow.metadata["portcullis.route"] == "completions")
            #expect(allow.metadata["portcullis.kid"] == harness.server.developmentIssuer?.keyID)
            #expect(allow.metadata["portcullis.jti"]?.isEmpty == false)
            #expect(allow.metadata["portcullis.latency_us"].flatMap(Int.init) != nil)

            let scopeDenial = try #require(records.first { $0.metadata["portcullis.reason"] == "insufficient_scope" })
            #expect(scopeDenial.metadata["portcullis.decision"] == "deny")
            #expect(scopeDenial.metadata["portcullis.status"] == "403")
            #expect(scopeDenial.metadata["portcullis.policy"] == "completions/tier")
            #expect(scopeDenial.metadata["portcullis.sub"] == "audited-user")

            let tokenDenial = try #require(records.first { $0.metadata["portcullis.reason"] == "malformed" })
            #expect(tokenDenial.metadata["portcullis.sub"] == nil, "claims of unverified tokens are never logged")
            #expect(tokenDenial.metadata["portcullis.status"] == "401")

            let signature = String(token.split(separator: ".").last ?? "")
            for record in records {
                let text = record.message + record.metadata.values.joined(separator: " ")
                #expect(!text.contains(token))
                #expect(!text.contains(signature))
                #expect(!text.contains("garbage.token.here"))
            }
        }
    }

    @Test func decisionsAreCountedByReason() async throws {
        try await Harness.run { harness in
            let token = try await harness.token("free")
            _ = try await harness.get("/v1/models", token: token)
            _ = try await harness.get("/v1/models", token: token)
            _ = try await harness.get("/v1/models")
            _ = try await harness.complete(Harness.body(model: "large"), token: token)
            let label = "portcullis_decisions_total"
            #expect(harness.metrics.counterTotal(label: label, dimensions: [("decision", "allow"), ("reason", "none")]) == 2)
            #expect(harness.metrics.counterTotal(label: label, dimensions: [("decision", "deny"), ("reason", "missing_token")]) == 1)
            #expect(harness.metrics.counterTotal(label: label, dimensions: [("decision", "deny"), ("reason", "insufficient_scope")]) == 1)
            let timer = try harness.metrics.expectTimer("portcullis_verification_duration_seconds")
            #expect(timer.values.count == 3, "one verification per request that carried a token")
            #expect(timer.values.allSatisfy { $0 > 0 })
        }
    }
}
