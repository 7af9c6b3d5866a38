import Foundation
import PortcullisJOSE
import PortcullisPolicy
import PortcullisTesting
import Testing

@Suite("OPA client against the real OPA engine", .enabled(if: OPAServer.python != nil, Comment(rawValue: OPAServer.unavailable)))
struct OPAClientTests {
    static func context(tenant: String, resourceTenant: String, scopes: [String]) throws -> PolicyContext {
        try Fixture.context(
            scopes: scopes, claims: ["tenant": .string(tenant)],
            request: RequestAttributes(method: "GET", route: "/v1/datasets/{tenant}/{name}", resource: ResourceAttributes(tenant: resourceTenant, id: "sales")))
    }

    @Test func allowAndDenyWithBooleanAndObjectResults() async throws {
        let server = try await OPAServer()
        let allowed = try Self.context(tenant: "t123", resourceTenant: "t123", scopes: ["dataset:read:t123"])
        let mismatch = try Self.context(tenant: "t123", resourceTenant: "t456", scopes: ["dataset:read:t456"])
        let boolean = OPAClient(baseURL: server.baseURL, path: "portcullis/authz/allow")
        #expect(await boolean.decide(allowed).isAllowed)
        let booleanDenial = try #require(await boolean.decide(mismatch).denial)
        #expect(booleanDenial.code == .accessDenied)
        #expect(booleanDenial.message == "the decision point denied the request")
        let object = OPAClient(baseURL: server.baseURL, path: "/portcullis/authz/decision/")
        #expect(await object.decide(allowed).isAllowed)
        let objectDenial = try #require(await object.decide(mismatch).denial)
        #expect(objectDenial.message.hasSuffix("tenant mismatch"))
        #expect(objectDenial.policy == "opa(/portcullis/authz/decision/)")
        let noScope = try Self.context(tenant: "t123", resourceTenant: "t123", scopes: ["dataset:read:*"])
        #expect(try #require(await object.decide(noScope).denial).message.hasSuffix("missing scope"))
    }

    @Test(arguments: ["portcullis/authz/undefined_document", "portcullis/authz/weird", "no/such/package"])
    func undefinedOrOddResultsDeny(_ path: String) async throws {
        let server = try await OPAServer()
        let context = try Self.context(tenant: "t1", resourceTenant: "t1", scopes: ["dataset:read:t1"])
        let denial = try #require(await OPAClient(baseURL: server.baseURL, path: path).decide(context).denial)
        #expect(denial.code == .accessDenied)
        #expect(denial.message.hasPrefix("the decision point failed"))
    }

    @Test func timeoutDenies() async throws {
        // The engine answers after 30 s; the client must give up long before (0.5 s plus its 0.5 s
        // backstop). The bound is loose because parallel suites share two cores.
        let server = try await OPAServer(delay: 30)
        let context = try Self.context(tenant: "t1", resourceTenant: "t1", scopes: ["dataset:read:t1"])
        let client = OPAClient(baseURL: server.baseURL, path: "portcullis/authz/allow", timeout: 0.5)
        let start = ContinuousClock.now
        let denial = try #require(await client.decide(context).denial)
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(denial.code == .accessDenied)
        #expect(denial.message.hasPrefix("the decision point failed"))
    }

    @Test func unreachableDenies() async throws {
        let context = try Self.context(tenant: "t1", resourceTenant: "t1", scopes: ["dataset:read:t1"])
        let client = OPAClient(baseURL: URL(string: "http://127.0.0.1:1")!, path: "portcullis/authz/allow", timeout: 1)
        let denial = try #require(await client.decide(context).denial)
        #expect(denial.code == .accessDenied)
        #expect(denial.message.hasPrefix("the decision point failed"))
    }
}

@Suite("External decision input")
struct ExternalDecisionInputTests {
    @Test func inputHoldsClaimsRequestAndResourceButNotTheToken() throws {
        let token = try Fixture.issuer.mint(scopes: ["a"], extraClaims: ["tenant": .string("t1")])
        let verified = try Fixture.issuer.verifiedToken(scopes: ["a"], extraClaims: ["tenant": .string("t1")])
        let request = RequestAttributes(method: "POST", route: "/q", model: "m", maxTokens: 5, resource: ResourceAttributes(tenant: "t1", attributes: ["region": "eu"]))
        let input = ExternalDecisionInput.make(PolicyContext(token: verified, request: request, now: NumericDate(10)))
        #expect(input["claims"]?.objectValue?["tenant"]?.stringValue == "t1")
        #expect(input["request"]?.objectValue?["max_tokens"]?.numberValue?.int64Value == 5)
        #expect(input["resource"]?.objectValue?["attributes"]?.objectValue?["region"]?.stringValue == "eu")
        #expect(input["scopes"] == Fixture.strings(["a"]))
        let text = input.serializedString()
        #expect(!text.contains(token.split(separator: ".")[2]))
        #expect(!text.contains(token.split(separator: ".")[0]))
    }
}
