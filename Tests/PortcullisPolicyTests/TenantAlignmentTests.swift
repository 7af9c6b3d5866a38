import PortcullisJOSE
import PortcullisPolicy
import Testing

/// Scenario 3: a token for one tenant never reaches another tenant's data.
@Suite("Scenario: partner tenant alignment")
struct TenantAlignmentTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var resourceTenant: String?
        var tenantClaim: JSONValue?
        var scopes: [String]
        var expected: Outcome
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "right tenant and scope", resourceTenant: "t123", tenantClaim: .string("t123"), scopes: ["dataset:read:t123"], expected: .allow),
        Case(name: "wrong tenant, own scope", resourceTenant: "t456", tenantClaim: .string("t123"), scopes: ["dataset:read:t123"], expected: Outcome(code: "access_denied")),
        Case(name: "another tenant's scope", resourceTenant: "t456", tenantClaim: .string("t123"), scopes: ["dataset:read:t456"], expected: Outcome(code: "access_denied")),
        Case(name: "wildcard scope", resourceTenant: "t123", tenantClaim: .string("t123"), scopes: ["dataset:read:*"], expected: Outcome(code: "insufficient_scope", requiredScopes: ["dataset:read:t123"])),
        Case(name: "wildcard scope, other tenant", resourceTenant: "t456", tenantClaim: .string("t123"), scopes: ["dataset:read:*", "dataset:*"], expected: Outcome(code: "access_denied")),
        Case(name: "wildcard tenant claim", resourceTenant: "t456", tenantClaim: .string("*"), scopes: ["dataset:read:t456"], expected: Outcome(code: "access_denied")),
        Case(name: "missing tenant claim", resourceTenant: "t123", tenantClaim: nil, scopes: ["dataset:read:t123"], expected: Outcome(code: "access_denied")),
        Case(name: "tenant claim as array", resourceTenant: "t123", tenantClaim: Fixture.strings(["t123"]), scopes: ["dataset:read:t123"], expected: Outcome(code: "access_denied")),
        Case(name: "query scope does not read", resourceTenant: "t123", tenantClaim: .string("t123"), scopes: ["dataset:query:t123"], expected: Outcome(code: "insufficient_scope", requiredScopes: ["dataset:read:t123"])),
        Case(name: "case differs", resourceTenant: "T123", tenantClaim: .string("t123"), scopes: ["dataset:read:T123"], expected: Outcome(code: "access_denied")),
        Case(name: "resource without tenant", resourceTenant: nil, tenantClaim: .string("t123"), scopes: ["dataset:read:t123"], expected: Outcome(code: "access_denied")),
        Case(name: "odd characters: space", resourceTenant: "t1 t2", tenantClaim: .string("t1 t2"), scopes: ["dataset:read:t1", "t2"], expected: Outcome(code: "access_denied")),
        Case(name: "odd characters: star", resourceTenant: "*", tenantClaim: .string("*"), scopes: ["dataset:read:*"], expected: Outcome(code: "access_denied")),
        Case(name: "odd characters: colon", resourceTenant: "t1:x", tenantClaim: .string("t1:x"), scopes: ["dataset:read:t1:x"], expected: Outcome(code: "access_denied")),
        Case(name: "odd characters: unicode", resourceTenant: "té", tenantClaim: .string("té"), scopes: ["dataset:read:té"], expected: Outcome(code: "access_denied")),
        Case(name: "empty tenant", resourceTenant: "", tenantClaim: .string(""), scopes: ["dataset:read:"], expected: Outcome(code: "access_denied")),
        Case(name: "overlong tenant", resourceTenant: String(repeating: "a", count: 129), tenantClaim: .string(String(repeating: "a", count: 129)), scopes: ["dataset:read:" + String(repeating: "a", count: 129)], expected: Outcome(code: "access_denied")),
        Case(name: "dots and dashes", resourceTenant: "acme-eu.prod_1", tenantClaim: .string("acme-eu.prod_1"), scopes: ["dataset:read:acme-eu.prod_1"], expected: .allow),
    ]

    @Test(arguments: cases)
    func alignment(_ testCase: Case) throws {
        var claims = JSONObject()
        if let tenant = testCase.tenantClaim { claims["tenant"] = tenant }
        let request = RequestAttributes(
            method: "GET", route: "/v1/datasets/{tenant}/{name}", resource: ResourceAttributes(tenant: testCase.resourceTenant, id: "sales"))
        let context = try Fixture.context(scopes: testCase.scopes, claims: claims, request: request)
        let swift = try TenantAlignment(scopeTemplate: "dataset:read:{resource.tenant}", tenantClaim: "tenant")
        #expect(Outcome(swift.evaluate(context)) == testCase.expected)
        let document = try PolicyDocument.load(contentsOf: Fixture.examplePolicy("partner-analytics.yaml"))
        let loaded = try #require(document.policy(forMethod: "GET", route: "/v1/datasets/{tenant}/{name}"))
        #expect(Outcome(loaded.evaluate(context)) == testCase.expected)
        if testCase.expected.code == "access_denied" {
            #expect(swift.evaluate(context).denial?.claim != nil)
        }
    }

    @Test func mismatchNamesTheTenantClaim() throws {
        let request = RequestAttributes(resource: ResourceAttributes(tenant: "t456"))
        let context = try Fixture.context(scopes: ["dataset:read:t456"], claims: ["tenant": .string("t123")], request: request)
        let denial = try #require(try TenantAlignment(scopeTemplate: "dataset:read:{resource.tenant}").evaluate(context).denial)
        #expect(denial.claim == "tenant")
        #expect(denial.expected == "t456")
        #expect(denial.actual == "t123")
    }

    @Test func templatesSubstituteResourceAndRequestValues() throws {
        let template = try ScopeTemplate("model:{request.model}:{resource.tenant}:{resource.id}:{resource.region}")
        #expect(template.placeholders == [.requestModel, .resourceTenant, .resourceID, .resourceAttribute("region")])
        let request = RequestAttributes(model: "large", resource: ResourceAttributes(tenant: "t1", id: "d1", attributes: ["region": "eu"]))
        #expect(try template.expand(request).get() == "model:large:t1:d1:eu")
        let injected = RequestAttributes(model: "large *", resource: ResourceAttributes(tenant: "t1", id: "d1", attributes: ["region": "eu"]))
        #expect((try? template.expand(injected).get()) == nil)
        let missing = RequestAttributes(resource: ResourceAttributes(tenant: "t1"))
        guard case .failure(let failure) = template.expand(missing) else { Issue.record("expanded without a model"); return }
        #expect(failure.placeholder == .requestModel)
    }

    @Test(arguments: [
        "dataset:read:{tenant}", "dataset:read:{resource.tenant", "dataset:read:resource.tenant}", "dataset read:{resource.tenant}",
        "dataset:read:{resource.}", "dataset:read:{request.user}", "dataset:read:{resource.id}", "", "{resource.{resource.tenant}}",
    ])
    func invalidTemplatesThrowAtInit(_ template: String) {
        let error = #expect(throws: PortcullisError.self) { try TenantAlignment(scopeTemplate: template) }
        #expect(error?.code == .malformed)
    }
}
