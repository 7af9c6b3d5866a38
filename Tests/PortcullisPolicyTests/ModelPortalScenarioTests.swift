import Foundation
import PortcullisJOSE
import PortcullisPolicy
import Testing

/// Scenario 2: every portal role × every action, built in Swift and loaded from model-portal.yaml.
@Suite("Scenario: model portal roles")
struct ModelPortalScenarioTests {
    struct Action: Sendable, CustomStringConvertible {
        var method: String
        var route: String
        var permission: String
        var neededRole: String
        var description: String { "\(method) \(route)" }
    }

    static let actions: [Action] = [
        Action(method: "GET", route: "/api/models", permission: "models:read", neededRole: "Viewer"),
        Action(method: "POST", route: "/api/models", permission: "models:write", neededRole: "Data Scientist"),
        Action(method: "POST", route: "/api/models/{name}/versions", permission: "models:write", neededRole: "Data Scientist"),
        Action(method: "POST", route: "/api/models/{name}/deploy", permission: "models:deploy", neededRole: "Admin"),
        Action(method: "DELETE", route: "/api/models/{name}", permission: "models:delete", neededRole: "Admin"),
    ]
    static let rank = ["Viewer": 0, "Data Scientist": 1, "Admin": 2]
    static let roleSets: [[String]] = [["Viewer"], ["Data Scientist"], ["Admin"], [], ["admin"], ["Data", "Scientist"], ["Viewer", "Admin"]]

    static var matrix: [(Action, [String])] { actions.flatMap { action in roleSets.map { (action, $0) } } }

    @Test(arguments: matrix)
    func roleAllowsExactlyItsActions(_ action: Action, _ roles: [String]) throws {
        let best = roles.compactMap { Self.rank[$0] }.max()
        let shouldAllow = best.map { $0 >= Self.rank[action.neededRole]! } ?? false
        let request = RequestAttributes(method: action.method, route: action.route)
        let context = try Fixture.context(claims: ["roles": Fixture.strings(roles)], request: request)
        let document = try PolicyDocument.load(contentsOf: Fixture.examplePolicy("model-portal.yaml"))
        let loaded = try #require(document.policy(forMethod: action.method, route: action.route))
        for policy in [RequirePermission(action.permission, roles: .modelPortal) as any Policy, loaded] {
            let decision = policy.evaluate(context)
            #expect(decision.isAllowed == shouldAllow)
            if let denial = decision.denial {
                #expect(denial.code == .accessDenied)
                #expect(denial.reason.contains("requires the role \(action.neededRole)"))
                #expect(denial.requiredScopes.isEmpty)
            }
        }
    }

    @Test func deniedMessageNamesEveryRoleThatWouldAllow() throws {
        let context = try Fixture.context(claims: ["roles": Fixture.strings(["Viewer"])])
        let denial = try #require(RequirePermission("models:write", roles: .modelPortal).evaluate(context).denial)
        #expect(denial.message == "models:write requires the role Data Scientist or Admin; the token has Viewer")
        #expect(denial.claim == "roles")
        #expect(denial.error.code == .accessDenied)
    }

    @Test(arguments: [
        ("realm_access.roles", JSONObject(["realm_access": .object(["roles": Fixture.strings(["Admin"])])])),
        ("groups", JSONObject(["groups": Fixture.strings(["Admin"])])),
        ("https://portal.example.com/roles", JSONObject(["https://portal.example.com/roles": Fixture.strings(["Admin"])])),
        ("roles", JSONObject(["roles": .string("Admin")])),
    ])
    func rolesFromConfigurableClaims(_ path: String, _ claims: JSONObject) throws {
        let context = try Fixture.context(claims: claims)
        #expect(RequirePermission("models:deploy", roles: .modelPortal, claim: ClaimPath(path)).evaluate(context).isAllowed)
        #expect(!RequirePermission("models:deploy", roles: .modelPortal, claim: "other").evaluate(context).isAllowed)
    }

    @Test func roleStringsAreNeverSplit() throws {
        let spaced = try Fixture.context(claims: ["roles": .string("Data Scientist")])
        #expect(RequirePermission("models:write", roles: .modelPortal).evaluate(spaced).isAllowed)
        let joined = try Fixture.context(claims: ["roles": .string("Viewer Admin")])
        #expect(!RequirePermission("models:read", roles: .modelPortal).evaluate(joined).isAllowed)
        #expect(RoleMap.modelPortal.roles(granting: "models:delete") == ["Admin"])
        #expect(RoleMap.modelPortal.permissions(for: ["Data Scientist"]) == ["models:read", "models:write"])
    }
}
