import Foundation
import PortcullisJOSE
import PortcullisPolicy
import Testing

@Suite("Policy files: loading, located errors, reloading")
struct PolicyFileTests {
    static let valid = """
        version: 1
        roles:
          claim: realm_access.roles
          grants:
            Viewer: ["models:read"]
            Admin: ["models:read", "models:deploy"]
        routes:
          - method: [GET, HEAD]
            route: /things
            policy:
              any_of:
                - permission: "models:read"
                - scopes: {any_of: [things, "things:all"]}
          - method: POST
            route: /things
            policy:
              - not: {clients: [evil-app]}
              - issuers: ["https://issuer.test"]
              - claim: {path: email_verified, equals: true}
              - recency: 300
              - authenticated: true
        """

    @Test func validFileLoadsWithEveryKind() throws {
        let document = try PolicyDocument.parse(Self.valid, file: "valid.yaml")
        #expect(document.routes.count == 2)
        #expect(document.routes[0].line == 8)
        #expect(document.rolesClaim == "realm_access.roles")
        #expect(document.roles?.names == ["Viewer", "Admin"])
        let head = try #require(document.policy(forMethod: "HEAD", route: "/things"))
        let viewer = try Fixture.context(claims: ["realm_access": .object(["roles": Fixture.strings(["Viewer"])])])
        #expect(head.evaluate(viewer).isAllowed)
        #expect(head.evaluate(try Fixture.context(scopes: ["things:all"])).isAllowed)
        #expect(!head.evaluate(try Fixture.context(scopes: ["other"])).isAllowed)
        let post = try #require(document.policy(forMethod: "POST", route: "/things"))
        let denial = try #require(post.evaluate(try Fixture.context(claims: ["email_verified": .bool(true)])).denial)
        #expect(denial.policy == "POST /things")
        #expect(denial.children.first?.policy == "recency(300s)")
    }

    @Test func jsonFilesLoadToo() throws {
        let json = #"{"version": 1, "routes": [{"method": "GET", "route": "/x", "policy": {"scopes": ["a"]}}]}"#
        let document = try PolicyDocument.parse(json, file: "p.json")
        #expect(document.policy(forMethod: "GET", route: "/x") != nil)
    }

    /// (file text, expected line, expected field, a fragment of the message).
    static let invalid: [(String, Int?, String, String)] = [
        ("version: 1\nroutes: []\nextra: 1\n", 3, "extra", "unknown key \"extra\""),
        ("routes: []\n", 1, "", "required key \"version\""),
        ("version: 2\nroutes: []\n", 1, "version", "between 1 and 1"),
        ("version: \"1\"\nroutes: []\n", 1, "version", "expected an integer, found a string"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {scope: [a]}\n", 5, "routes[0].policy.scope", "unknown key \"scope\""),
        ("version: 1\nroutes:\n  - method: get\n    route: /a\n    policy: {scopes: [a]}\n", 3, "routes[0].method", "upper-case"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy:\n      scopes: a\n", 6, "routes[0].policy.scopes", "expected a mapping, found a string"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {scopes: [a], issuers: [b]}\n", 5, "routes[0].policy", "exactly one key"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy:\n      tenant: \"dataset:read:{tenant}\"\n", 6, "routes[0].policy.tenant", "unknown placeholder {tenant}"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy:\n      claim: {path: email, matches: \"([a-\"}\n", 6, "routes[0].policy.claim.matches", "does not compile"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {permission: \"models:read\"}\n", 5, "routes[0].policy.permission", "needs a roles section"),
        ("version: 1\nroles:\n  grants:\n    Viewer: [\"models:read\"]\nroutes:\n  - method: GET\n    route: /a\n    policy:\n      permission: \"models:publish\"\n", 9, "routes[0].policy.permission", "no role in roles.grants grants \"models:publish\""),
        ("version: 1\ntiers:\n  default: gold\n  list:\n    - {name: free, models: [small], max_tokens: 10}\nroutes: []\n", 3, "tiers.default", "unknown tier \"gold\""),
        ("version: 1\ntiers:\n  list:\n    - {name: free, models: [small], max_tokens: \"10\"}\nroutes: []\n", 4, "tiers.list[0].max_tokens", "expected an integer"),
        ("version: 1\ntiers:\n  list:\n    - {name: free, models: [small], max_tokens: 10, rate_limit: {requests: 5, period: fortnight}}\nroutes: []\n", 4, "tiers.list[0].rate_limit.period", "fortnight"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {tier_limits: true}\n", 5, "routes[0].policy.tier_limits", "needs a tiers section"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {scopes: [a]}\n  - method: GET\n    route: /a\n    policy: {scopes: [b]}\n", 6, "routes[1]", "already defined"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {scopes: [a]}\n    policy: {scopes: [b]}\n", 5, "", "duplicate key \"policy\""),
        ("version: 1\nroutes: [\n", 3, "", "YAML syntax"),
        ("", 1, "", "empty"),
        ("version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {scopes: [\"a b\"]}\n", 5, "routes[0].policy.scopes", "contains a space"),
    ]

    @Test(arguments: invalid)
    func invalidFilesNameFileLineAndField(_ text: String, _ line: Int?, _ field: String, _ fragment: String) {
        let error = #expect(throws: PolicyFileError.self) { try PolicyDocument.parse(text, file: "bad.yaml") }
        #expect(error?.file == "bad.yaml")
        #expect(error?.line == line)
        #expect(error?.field == field)
        #expect(error?.message.contains(fragment) == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("bad.yaml:\(line.map(String.init) ?? "")") == true)
        #expect(error?.error.code == .malformed)
    }

    @Test func aliasBombsAreRefusedNotExpanded() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<9 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "version: 1\nroutes:\n  - method: GET\n    route: /a\n    policy: {scopes: *a8}\n"
        let error = #expect(throws: PolicyFileError.self) { try PolicyDocument.parse(text, file: "bomb.yaml") }
        #expect(error != nil)
    }

    @Test func reloadSwapsAtomicallyAndKeepsTheOldDocumentOnFailure() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("p.yaml")
        func write(_ scope: String) throws {
            try "version: 1\nroutes:\n  - {method: GET, route: /a, policy: {scopes: [\(scope)]}}\n".write(to: url, atomically: true, encoding: .utf8)
        }
        try write("one")
        let store = try PolicyStore(contentsOf: url)
        let inFlight = store.current
        let context = try Fixture.context(scopes: ["two"])
        try write("two")
        try store.reload()
        #expect(store.generation == 2)
        #expect(store.current.policy(forMethod: "GET", route: "/a")?.evaluate(context).isAllowed == true)
        #expect(inFlight.policy(forMethod: "GET", route: "/a")?.evaluate(context).isAllowed == false, "a snapshot never changes")
        try "version: 1\nroutes: [{method: GET}]\n".write(to: url, atomically: true, encoding: .utf8)
        let error = #expect(throws: PolicyFileError.self) { try store.reload() }
        #expect(error?.line == 2)
        #expect(store.lastReloadError == error)
        #expect(store.generation == 2)
        #expect(store.current.policy(forMethod: "GET", route: "/a")?.evaluate(context).isAllowed == true, "the old policies stay")
    }

    @Test func missingFileIsAnError() {
        let error = #expect(throws: PolicyFileError.self) {
            try PolicyDocument.load(contentsOf: URL(fileURLWithPath: "/nonexistent/policies.yaml"))
        }
        #expect(error?.file == "policies.yaml")
    }
}
