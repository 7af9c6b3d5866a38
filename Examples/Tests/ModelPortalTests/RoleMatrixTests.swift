import ExamplesTestSupport
import Foundation
import ModelPortalKit
import PortcullisTesting
import Testing

/// Every role × every action of the DESIGN.md model-portal contract, over real HTTP: the exact
/// status, and for a refusal the exact `access_denied` body naming the role that is needed.
@Suite("Model portal: every role × every action")
struct RoleMatrixTests {
    /// One action of the API.
    struct Action: Sendable {
        let name: String
        let method: String
        let path: String
        let body: String?
        let permission: String
        let status: Int
        /// The roles that allow it, as the denial lists them.
        let needed: String
    }

    /// One kind of caller.
    struct Caller: Sendable, CustomTestStringConvertible {
        let label: String
        /// The roles claim; `nil` leaves it out.
        let roles: [String]?
        /// The permissions the caller should have.
        let permissions: Set<String>
        var testDescription: String { label }

        /// What a denial says the token has.
        var held: String {
            guard let roles, !roles.isEmpty else { return "no role in roles" }
            return roles.count == 1 ? roles[0] : roles.dropLast().joined(separator: ", ") + " or " + roles[roles.count - 1]
        }
    }

    static let actions = [
        Action(name: "list", method: "GET", path: "/api/models", body: nil, permission: "models:read", status: 200,
               needed: "Viewer, Data Scientist or Admin"),
        Action(name: "read", method: "GET", path: "/api/models/sentiment", body: nil, permission: "models:read", status: 200,
               needed: "Viewer, Data Scientist or Admin"),
        Action(name: "create", method: "POST", path: "/api/models", body: #"{"name": "churn"}"#, permission: "models:write",
               status: 201, needed: "Data Scientist or Admin"),
        Action(name: "upload", method: "POST", path: "/api/models/sentiment/versions", body: #"{"note": "retrained"}"#,
               permission: "models:write", status: 201, needed: "Data Scientist or Admin"),
        Action(name: "deploy", method: "POST", path: "/api/models/sentiment/deploy", body: #"{"version": 1}"#,
               permission: "models:deploy", status: 200, needed: "Admin"),
        Action(name: "delete", method: "DELETE", path: "/api/models/fraud-detector", body: nil, permission: "models:delete",
               status: 204, needed: "Admin"),
    ]

    static let all: Set<String> = ["models:read", "models:write", "models:deploy", "models:delete"]
    static let callers = [
        Caller(label: "Viewer", roles: ["Viewer"], permissions: ["models:read"]),
        Caller(label: "Data Scientist", roles: ["Data Scientist"], permissions: ["models:read", "models:write"]),
        Caller(label: "Admin", roles: ["Admin"], permissions: all),
        Caller(label: "Viewer and Admin", roles: ["Viewer", "Admin"], permissions: all),
        Caller(label: "no roles claim", roles: nil, permissions: []),
        Caller(label: "empty roles", roles: [], permissions: []),
        Caller(label: "unknown role", roles: ["Intern"], permissions: []),
        Caller(label: "role in other casing", roles: ["admin"], permissions: []),
        Caller(label: "role with other spacing", roles: ["DataScientist"], permissions: []),
    ]

    @Test(arguments: callers)
    func everyAction(caller: Caller) async throws {
        try await PortalHarness.run { harness in
            // The three roles of the contract come from POST /dev/token over HTTP; the rest are minted.
            let token = if let roles = caller.roles, roles.count == 1, ["Viewer", "Data Scientist", "Admin"].contains(roles[0]) {
                try await harness.token(roles[0])
            } else {
                try harness.mint(roles: caller.roles)
            }
            for action in Self.actions {
                let result = try await harness.send(action.method, action.path, token: token, json: action.body)
                if caller.permissions.contains(action.permission) {
                    #expect(result.status == action.status, "\(caller.label) \(action.name): \(result.body)")
                } else {
                    #expect(result.status == 403, "\(caller.label) \(action.name): \(result.body)")
                    #expect(result.json?["error"] as? String == "access_denied")
                    #expect(
                        result.json?["message"] as? String
                            == "\(action.permission) requires the role \(action.needed); the token has \(caller.held)",
                        "\(caller.label) \(action.name)")
                    // access_denied is not an RFC 6750 error: the token is fine, so no challenge.
                    #expect(result.header("WWW-Authenticate") == nil)
                }
            }
            // Refused actions changed nothing; allowed ones did.
            let check = await harness.portal.registry.list()
            let names = Set(check.map(\.name))
            #expect(names.contains("churn") == caller.permissions.contains("models:write"))
            #expect(names.contains("fraud-detector") != caller.permissions.contains("models:delete"))
            let sentiment = try #require(check.first { $0.name == "sentiment" })
            #expect(sentiment.versions.count == (caller.permissions.contains("models:write") ? 4 : 3))
            #expect(sentiment.deployed == (caller.permissions.contains("models:deploy") ? 1 : 2))
            // Every denial is audited with its reason.
            let denials = harness.logs.records.filter { $0.metadata["portcullis.reason"] == "access_denied" }
            #expect(denials.count == Self.actions.filter { !caller.permissions.contains($0.permission) }.count)
        }
    }

    @Test func meReportsRolesAndPermissions() async throws {
        try await PortalHarness.run { harness in
            let scientist = try await harness.send("GET", "/api/me", token: try await harness.token("Data Scientist", subject: "ada"))
            #expect(scientist.status == 200)
            #expect(scientist.json?["sub"] as? String == "ada")
            #expect(scientist.json?["roles"] as? [String] == ["Data Scientist"])
            #expect(scientist.json?["permissions"] as? [String] == ["models:read", "models:write"])
            let nobody = try await harness.send("GET", "/api/me", token: try harness.mint(roles: ["Intern"]))
            #expect(nobody.status == 200)
            #expect(nobody.json?["permissions"] as? [String] == [])
        }
    }
}
