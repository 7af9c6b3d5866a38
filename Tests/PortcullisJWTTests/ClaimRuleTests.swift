import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// `iss`, `aud`, scopes and required claims (RFC 7519 §4.1, RFC 9068 §2.2.3).
@Suite("Claims")
struct ClaimRuleTests {
    @Test("iss must equal an accepted issuer exactly", arguments: [
        ("https://issuer.example", nil as PortcullisError.Code?),
        ("https://issuer.example/", .invalidIssuer),
        ("HTTPS://issuer.example", .invalidIssuer),
        ("https://evil.example", .invalidIssuer),
    ])
    func issuer(value: String, expected: PortcullisError.Code?) throws {
        var fixture = Fixture()
        fixture.claims["iss"] = .string(value)
        try expect(expected) { () throws(PortcullisError) in _ = try fixture.verify(try fixture.token()) }
    }

    @Test("a missing or non-string iss")
    func issuerShape() throws {
        var fixture = Fixture()
        fixture.claims["iss"] = nil
        var error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token()) }
        #expect(error?.code == .invalidIssuer)
        fixture.claims["iss"] = .number(JSONNumber(Int64(7)))
        error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token()) }
        #expect(error?.code == .invalidClaim)
    }

    @Test("aud as string or array", arguments: [
        (JSONValue.string("api://completions"), nil as PortcullisError.Code?),
        (.array([.string("other"), .string("api://completions")]), nil),
        (.array([.string("other")]), .invalidAudience),
        (.array([]), .invalidAudience),
        (.string("api://completions/"), .invalidAudience),
        (.number(JSONNumber(Int64(1))), .invalidClaim),
        (.array([.string("api://completions"), .number(JSONNumber(Int64(1)))]), .invalidClaim),
    ])
    func audience(value: JSONValue, expected: PortcullisError.Code?) throws {
        var fixture = Fixture()
        fixture.claims["aud"] = value
        try expect(expected) { () throws(PortcullisError) in _ = try fixture.verify(try fixture.token()) }
    }

    @Test("a token carrying aud is refused when no audience is configured, and says which to pass")
    func audienceNotConfigured() throws {
        let fixture = Fixture()
        var configuration = fixture.configuration()
        configuration.audiences = []
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .invalidAudience)
        #expect(error?.message.contains("api://completions") == true)
    }

    @Test("aud absent: accepted without configured audiences, refused with them")
    func audienceAbsent() throws {
        var fixture = Fixture()
        fixture.claims["aud"] = nil
        var configuration = fixture.configuration()
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .invalidAudience)
        configuration.audiences = []
        #expect(throws: Never.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
    }

    @Test("scopes from scope, else scp", arguments: [
        ("scope", JSONValue.string("completions  completions:premium"), ["completions", "completions:premium"]),
        ("scp", .string("completions completions:premium"), ["completions", "completions:premium"]),
        ("scp", .array([.string("completions"), .string("models:read")]), ["completions", "models:read"]),
    ])
    func scopes(claim: String, value: JSONValue, scopes: [String]) throws {
        var fixture = Fixture()
        fixture.claims["scope"] = nil
        fixture.claims[claim] = value
        var configuration = fixture.configuration()
        configuration.requiredScopes = ["completions"]
        let verified = try fixture.verify(try fixture.token(), configuration: configuration)
        #expect(verified.scopes == scopes)
    }

    @Test("scope wins over scp")
    func scopePrecedence() throws {
        var fixture = Fixture()
        fixture.claims["scope"] = .string("completions")
        fixture.claims["scp"] = .array([.string("completions:premium")])
        var configuration = fixture.configuration()
        configuration.requiredScopes = ["completions:premium"]
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .insufficientScope)
    }

    @Test("every required scope must be present")
    func insufficientScope() throws {
        var fixture = Fixture()
        fixture.claims["scope"] = .string("completions")
        var configuration = fixture.configuration()
        configuration.requiredScopes = ["completions", "completions:premium"]
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .insufficientScope)
        #expect(error?.message.contains("completions:premium") == true)
        fixture.claims["scope"] = .number(JSONNumber(Int64(3)))
        let typeError = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(typeError?.code == .invalidClaim)
    }

    @Test("required claims")
    func requiredClaims() throws {
        let fixture = Fixture()
        var configuration = fixture.configuration()
        configuration.requiredClaims = ["tenant"]
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .missingClaim)
        #expect(error?.claim == "tenant")
    }

    @Test("sub and jti must be strings when present", arguments: ["sub", "jti"])
    func stringClaims(claim: String) throws {
        var fixture = Fixture()
        fixture.claims[claim] = .bool(true)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token()) }
        #expect(error?.code == .invalidClaim)
    }

    struct CustomClaims: Decodable, Equatable {
        let sub: String
        let tenant: String
        let tier: String
    }

    @Test("verified tokens expose typed claims and decode custom ones")
    func accessors() throws {
        var fixture = Fixture()
        fixture.claims["tenant"] = .string("t123")
        fixture.claims["tier"] = .string("premium")
        let verified = try fixture.verify(try fixture.token())
        #expect(verified.issuer == Fixture.issuer)
        #expect(verified.audience == [Fixture.audience])
        #expect(verified.clientID == "app-7")
        #expect(verified.jwtID == "b4e1c7d2")
        #expect(verified.issuedAt?.secondsSince1970 == testNow - 10)
        #expect(verified["tenant"]?.stringValue == "t123")
        #expect(try verified.decode(CustomClaims.self) == CustomClaims(sub: "user-42", tenant: "t123", tier: "premium"))
        let error = #expect(throws: PortcullisError.self) { try verified.decode([String].self) }
        #expect(error?.code == .invalidClaim)
    }

    @Test("claims are only judged after the signature")
    func signatureFirst() throws {
        var fixture = Fixture()
        fixture.claims["exp"] = .number(JSONNumber(testNow - 10_000))
        let token = try fixture.token(key: TestKeys.p256b)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .invalidSignature)
    }
}

/// The `Substring` entry point (the part of an `Authorization` header after `Bearer `).
@Suite("Substring tokens")
struct SubstringTokenTests {
    @Test("a token given as a substring verifies, and an oversized one is refused first")
    func substring() throws {
        let fixture = Fixture()
        let header = "Bearer " + (try fixture.token())
        let token = header.dropFirst("Bearer ".count)
        #expect(try fixture.verifier().verify(token).subject == "user-42")

        var configuration = fixture.configuration()
        configuration.maximumTokenSize = 100
        let error = #expect(throws: PortcullisError.self) { try fixture.verifier(configuration: configuration).verify(token) }
        #expect(error?.code == .tokenTooLarge)
    }
}

/// Verifying the signature first and the claims later (`verifySignature` + `validateClaims(of:)`).
@Suite("Two-step verification")
struct TwoStepVerificationTests {
    @Test("validateClaims(of:) applies the same rules, and refuses a payload that is not a JSON object")
    func twoSteps() throws {
        let fixture = Fixture()
        let verifier = fixture.verifier()
        let signed = try verifier.verifySignature(try fixture.token())
        #expect(try verifier.validateClaims(of: signed).subject == "user-42")

        var expired = fixture
        expired.claims["exp"] = .number(JSONNumber(testNow - 3_600))
        let late = try verifier.verifySignature(try expired.token())
        var error = #expect(throws: PortcullisError.self) { try verifier.validateClaims(of: late) }
        #expect(error?.code == .expired)

        let input = Base64URL.encode(Array(#"{"alg":"ES256","kid":"k1"}"#.utf8)) + "." + Base64URL.encode(Array("not json".utf8))
        let text = input + "." + Base64URL.encode(try fixture.signingKey.sign(Array(input.utf8), algorithm: .es256))
        let plain = try verifier.verifySignature(text)
        error = #expect(throws: PortcullisError.self) { try verifier.validateClaims(of: plain) }
        #expect(error?.code == .malformed)
    }
}
