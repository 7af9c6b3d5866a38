import ExamplesTestSupport
import Foundation
import PartnerAnalyticsKit
import Portcullis
import PortcullisTesting
import Testing

/// Down-scoping, tenant isolation and the analytics API with exchanged tokens.
@Suite("Partner analytics: scopes, tenants and the API", .timeLimit(.minutes(2)))
struct ScopeAndAPITests {
    @Test func downScopingIssuesOnlyWhatWasRequested() async throws {
        try await Harness.run { harness in
            let token = try await harness.exchangedToken(scope: "dataset:read:t123")
            #expect(Harness.claims(token)["scope"] as? String == "dataset:read:t123")
            #expect(try await harness.get("/v1/datasets/t123/sales", token: token).status == 200)
            let query = try await harness.query("/v1/datasets/t123/sales/query", token: token)
            #expect(query.status == 403)
            #expect(query.json?["error"] as? String == "insufficient_scope")
            #expect(query.header("WWW-Authenticate")?.contains("scope=\"dataset:query:t123\"") == true)
        }
    }

    @Test(arguments: ["dataset:write:t123", "dataset:read:t123 admin", "dataset:read:t456", "dataset:read:*"])
    func anyScopeOutsideTheAllowanceRefusesTheWholeRequest(scope: String) async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), [("scope", scope)]))
            ParameterTests.expectError(result, "invalid_scope")
            #expect(result.json?["access_token"] == nil)
        }
    }

    @Test func anAllowanceNamingAnotherTenantIsRefusedAtStart() throws {
        let client = try PartnerAnalyticsConfiguration.client(parsing: "acme:pw:t123:dataset:read:t123,dataset:read:t456")
        let error = #expect(throws: PortcullisError.self) {
            try PartnerAnalyticsServer(configuration: PartnerAnalyticsConfiguration(clients: [client]))
        }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("dataset:read:t456") == true)
    }

    @Test func aPartnerCannotReachAnotherTenantsDataset() async throws {
        try await Harness.run { harness in
            let token = try await harness.exchangedToken()
            for path in ["/v1/datasets/t456/sales", "/v1/datasets/t456/usage"] {
                let result = try await harness.get(path, token: token)
                #expect(result.status == 403)
                #expect(result.json?["error"] as? String == "access_denied")
            }
            let query = try await harness.query("/v1/datasets/t456/sales/query", token: token)
            #expect(query.status == 403)
            // A dataset that does not exist in the caller's own tenant is 404 (after authorization).
            #expect(try await harness.get("/v1/datasets/t123/missing", token: token).status == 404)
        }
    }

    @Test func theAPIAnswersPerTheContract() async throws {
        try await Harness.run { harness in
            let token = try await harness.exchangedToken()
            let list = try await harness.get("/v1/datasets", token: token)
            #expect(list.status == 200)
            let datasets = try #require(list.json?["datasets"] as? [[String: Any]])
            #expect(datasets.map { "\($0["tenant"] as? String ?? "")/\($0["name"] as? String ?? "")" } == ["t123/sales", "t123/usage"])
            let query = try await harness.query("/v1/datasets/t123/usage/query", token: token)
            #expect(query.status == 200)
            #expect((query.json?["rows"] as? [Any])?.count == 3)
            let bad = try await harness.query("/v1/datasets/t123/usage/query", token: token, body: "{\"sql\": 1}")
            #expect(bad.status == 400)
            #expect(bad.json?["error"] as? String == "invalid_request")
            let none = try await harness.get("/v1/datasets", token: nil)
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer realm=\"analytics\"")
            // A partner token is not an API token: wrong issuer and audience.
            let partner = try await harness.get("/v1/datasets", token: try harness.partnerToken())
            #expect(partner.status == 401)
            #expect(partner.header("WWW-Authenticate")?.contains("invalid_token") == true)
        }
    }

    @Test func theFreeQuotaEndsWith429UntilTheNextUTCMidnight() async throws {
        try await Harness.run { harness in
            let token = try await harness.exchangedToken()
            let quota = Quota.perDay(100, of: "queries")
            let now = NumericDate(Date().timeIntervalSince1970)
            _ = try await harness.server.ledger.consume(units: 99, key: "t123", quota: quota, at: now)
            let last = try await harness.query("/v1/datasets/t123/sales/query", token: token)
            #expect(last.status == 200)
            #expect((last.json?["quota"] as? [String: Any])?["remaining"] as? Int == 0)
            let over = try await harness.query("/v1/datasets/t123/sales/query", token: token)
            #expect(over.status == 429)
            #expect(over.json?["error"] as? String == "quota_exceeded")
            let retryAfter = try #require(over.header("Retry-After").flatMap(Int.init))
            let untilMidnight = 86_400 - Int(Date().timeIntervalSince1970) % 86_400
            #expect(abs(retryAfter - untilMidnight) <= 5)
            // Reading is not counted.
            #expect(try await harness.get("/v1/datasets/t123/sales", token: token).status == 200)
        }
    }

    @Test func quotasFollowTheTenantsTierAndResetEachUTCDay() async throws {
        let clock = TestClock(1_800_057_600 + 82_800)   // 23:00 UTC
        let configuration = PartnerAnalyticsConfiguration(tiers: ["t123": "premium"], tokenLifetime: 86_400)
        try await Harness.run(configuration, clock: clock.now) { harness in
            let subject = try harness.partner.mint(subject: "alice", lifetime: 86_400, now: clock.seconds)
            let result = try await harness.tokenRequest(Harness.exchangeFields(subject))
            let token = try #require(result.json?["access_token"] as? String)
            _ = try await harness.server.ledger.consume(units: 10_000, key: "t123", quota: .perDay(10_000, of: "queries"), at: clock.date)
            let over = try await harness.query("/v1/datasets/t123/sales/query", token: token)
            #expect(over.status == 429)
            #expect(over.header("Retry-After") == "3600")
            clock.advance(by: 3600)   // 00:00 UTC: a new day
            let fresh = try await harness.query("/v1/datasets/t123/sales/query", token: token)
            #expect(fresh.status == 200, "\(fresh.body)")
            #expect((fresh.json?["quota"] as? [String: Any])?["limit"] as? Int == 10_000)
        }
    }
}
