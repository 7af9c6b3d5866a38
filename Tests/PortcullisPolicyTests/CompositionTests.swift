import PortcullisJOSE
import PortcullisJWT
import PortcullisPolicy
import PortcullisTesting
import Testing

@Suite("Composition: AllOf, AnyOf, Not and the denial tree")
struct CompositionTests {
    static let issuer = try! TestIssuer()

    func context(scopes: [String], request: RequestAttributes = RequestAttributes()) throws -> PolicyContext {
        PolicyContext(token: try Self.issuer.verifiedToken(scopes: scopes), request: request, now: Self.issuer.clock.date)
    }

    @Test func allOfShortCircuitsAndWrapsTheFirstDenial() throws {
        let policy = AllOf("route") {
            RequireScopes(allOf: ["a"])
            RequireScopes(allOf: ["b"])
        }
        #expect(policy.evaluate(try context(scopes: ["a", "b"])).isAllowed)
        let denial = try #require(policy.evaluate(try context(scopes: ["b"])).denial)
        #expect(denial.code == .insufficientScope)
        #expect(denial.policy == "route")
        #expect(denial.children.count == 1)
        #expect(denial.children[0].requiredScopes == ["a"])
        #expect(denial.requiredScopes == ["a"])
    }

    @Test func anyOfRecordsEveryBranchAndPrefersTheSmallestScopeFix() throws {
        let policy = AnyOf {
            RequireScopes(allOf: ["x", "y"])
            RequireScopes(allOf: ["z"])
        }
        #expect(policy.evaluate(try context(scopes: ["z"])).isAllowed)
        let denial = try #require(policy.evaluate(try context(scopes: ["x"])).denial)
        #expect(denial.children.count == 2)
        #expect(denial.code == .insufficientScope)
        #expect(denial.requiredScopes == ["z"])
    }

    @Test func emptyAnyOfDeniesAndEmptyAllOfAllows() throws {
        let context = try context(scopes: ["a"])
        #expect(AnyOf(policies: []).evaluate(context).denial?.code == .accessDenied)
        #expect(AllOf(policies: []).evaluate(context).isAllowed)
    }

    @Test func notInvertsAndExplains() throws {
        let policy = Not(RequireScopes(allOf: ["banned"]))
        #expect(policy.evaluate(try context(scopes: ["a"])).isAllowed)
        let denial = try #require(policy.evaluate(try context(scopes: ["banned"])).denial)
        #expect(denial.code == .accessDenied)
        #expect(denial.description.contains("not(scopes(all: banned))"))
    }

    @Test func denialTreeRendersAsTextAndJSON() throws {
        let policy = AllOf("completions") { RequireScopes(allOf: ["completions"]) }
        let denial = try #require(policy.evaluate(try context(scopes: [])).denial)
        #expect(denial.description.split(separator: "\n").count == 2)
        guard case .object(let json) = denial.jsonValue else { Issue.record("not an object"); return }
        #expect(json["code"]?.stringValue == "insufficient_scope")
        #expect(json["children"]?.arrayValue?.count == 1)
        #expect(denial.error.code == .insufficientScope)
        #expect(denial.error.message == denial.children[0].message)
    }
}
