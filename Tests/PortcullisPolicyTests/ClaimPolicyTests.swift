import PortcullisJOSE
import PortcullisPolicy
import PortcullisTesting
import Testing

@Suite("Claim conditions, allow-lists and authentication recency")
struct ClaimPolicyTests {
    static let claims: JSONObject = [
        "email": .string("ada@example.com"), "email_verified": .bool(true), "amr": Fixture.strings(["pwd", "mfa"]),
        "acr_text": .string("pwd mfa"), "level": .number(JSONNumber(3)), "azp": .string("portal-web"),
    ]

    @Test(arguments: [
        (RequireClaim.equals("email_verified", .bool(true)), true),
        (RequireClaim.equals("email_verified", .string("true")), false),
        (RequireClaim.equals("level", .number(JSONNumber(3.0))), true),
        (RequireClaim.equals("email", "ada@example.com"), true),
        (RequireClaim.equals("email", "ADA@example.com"), false),
        (RequireClaim.contains("amr", "mfa"), true),
        (RequireClaim.contains("amr", "otp"), false),
        (RequireClaim.contains("acr_text", "mfa"), true),
        (RequireClaim.contains("acr_text", "pwd mfa"), false),
        (RequireClaim.contains("level", "3"), false),
        (RequireClaim.present("azp"), true),
        (RequireClaim.present("act"), false),
        (try! RequireClaim.matches("email", pattern: #"[^@]+@example\.com"#), true),
        (try! RequireClaim.matches("email", pattern: "ada"), false),
        (try! RequireClaim.matches("amr", pattern: "m.a"), true),
        (try! RequireClaim.matches("level", pattern: "3"), false),
        (try! RequireClaim.matches("missing", pattern: ".*"), false),
    ])
    func conditions(_ policy: RequireClaim, _ allowed: Bool) throws {
        let decision = policy.evaluate(try Fixture.context(claims: Self.claims))
        #expect(decision.isAllowed == allowed)
        if let denial = decision.denial {
            #expect(denial.code == .accessDenied)
            #expect(denial.claim == policy.path.description)
        }
    }

    @Test(arguments: ["", "(", "[a-", String(repeating: "a", count: 257)])
    func badPatternsThrow(_ pattern: String) {
        let error = #expect(throws: PortcullisError.self) { try ClaimPattern(pattern) }
        #expect(error?.code == .malformed)
    }

    @Test func overlongValuesNeverMatch() throws {
        let pattern = try ClaimPattern("a*")
        #expect(pattern.matches(String(repeating: "a", count: 1024)))
        #expect(!pattern.matches(String(repeating: "a", count: 1025)))
    }

    @Test func issuerAllowList() throws {
        let context = try Fixture.context()
        #expect(AllowIssuers([Fixture.issuer.issuer]).evaluate(context).isAllowed)
        let denial = try #require(AllowIssuers(["https://other.test"]).evaluate(context).denial)
        #expect(denial.code == .accessDenied)
        #expect(denial.claim == "iss")
        #expect(!AllowIssuers([]).evaluate(context).isAllowed)
    }

    @Test func clientAllowListReadsClientIDThenAZP() throws {
        let withClientID = try Fixture.context(claims: ["client_id": .string("cli-1"), "azp": .string("cli-2")])
        #expect(AllowClients(["cli-1"]).evaluate(withClientID).isAllowed)
        #expect(!AllowClients(["cli-2"]).evaluate(withClientID).isAllowed, "client_id wins over azp")
        let withAZP = try Fixture.context(claims: ["azp": .string("cli-2")])
        #expect(AllowClients(["cli-2"]).evaluate(withAZP).isAllowed)
        let neither = try #require(AllowClients(["cli-2"]).evaluate(try Fixture.context()).denial)
        #expect(neither.code == .accessDenied)
        #expect(neither.actual == "(absent)")
        let nonString = try Fixture.context(claims: ["client_id": .number(JSONNumber(7)), "azp": .string("cli-2")])
        #expect(!AllowClients(["cli-2"]).evaluate(nonString).isAllowed, "a non-string client_id does not fall back to azp")
    }

    @Test(arguments: [
        (JSONValue?.some(.number(JSONNumber(-100))), true),
        (.some(.number(JSONNumber(-300))), true),
        (.some(.number(JSONNumber(-301))), false),
        (.some(.number(JSONNumber(30))), true),
        (.some(.number(JSONNumber(61))), false),
        (.some(.string("-100")), false),
        (nil, false),
    ])
    func recency(_ offset: JSONValue?, _ allowed: Bool) throws {
        let now = Fixture.issuer.clock.seconds
        var claims = JSONObject()
        if case .number(let delta)? = offset { claims["auth_time"] = .number(JSONNumber(now + delta.doubleValue)) }
        else if let offset { claims["auth_time"] = offset }
        let decision = RequireRecentAuthentication(maxAge: 300).evaluate(try Fixture.context(claims: claims))
        #expect(decision.isAllowed == allowed)
        #expect(decision.denial.map { $0.code == .accessDenied && $0.claim == "auth_time" } ?? true)
    }
}
