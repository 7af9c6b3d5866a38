import PortcullisJOSE
import PortcullisJWT
import Testing

/// RFC 7519 §4.1.4–4.1.6 as pinned by the contract: accept while `now < exp + leeway`, and when
/// `now >= nbf - leeway`; `iat` later than `now + leeway` is `invalid_claim`.
@Suite("Time claims")
struct TimeRuleTests {
    /// (exp relative to now, leeway, expected code or nil for accepted)
    @Test("exp boundaries", arguments: [
        (-61.0, 60.0, PortcullisError.Code.expired as PortcullisError.Code?),
        (-60.0, 60.0, .expired),          // now == exp + leeway: expired
        (-59.0, 60.0, nil),
        (-59.5, 60.0, nil),
        (0.0, 0.0, .expired),             // leeway 0 is exact: now == exp is expired
        (0.001, 0.0, nil),
        (1.0, 0.0, nil),
        (-0.5, 0.0, .expired),
    ])
    func expiration(offset: Double, leeway: Double, expected: PortcullisError.Code?) throws {
        var fixture = Fixture()
        fixture.claims["exp"] = .number(JSONNumber(testNow + offset))
        fixture.claims["nbf"] = nil
        fixture.claims["iat"] = nil
        let token = try fixture.token()
        try expect(expected) { () throws(PortcullisError) in
            _ = try fixture.verify(token, configuration: fixture.configuration(leeway: leeway))
        }
    }

    @Test("nbf boundaries", arguments: [
        (61.0, 60.0, PortcullisError.Code.notYetValid as PortcullisError.Code?),
        (60.5, 60.0, .notYetValid),
        (60.0, 60.0, nil),                 // now == nbf - leeway: valid
        (0.0, 0.0, nil),
        (0.25, 0.0, .notYetValid),
        (-100.0, 0.0, nil),
    ])
    func notBefore(offset: Double, leeway: Double, expected: PortcullisError.Code?) throws {
        var fixture = Fixture()
        fixture.claims["nbf"] = .number(JSONNumber(testNow + offset))
        fixture.claims["iat"] = nil
        let token = try fixture.token()
        try expect(expected) { () throws(PortcullisError) in
            _ = try fixture.verify(token, configuration: fixture.configuration(leeway: leeway))
        }
    }

    @Test("iat in the future", arguments: [
        (61.0, 60.0, PortcullisError.Code.invalidClaim as PortcullisError.Code?),
        (60.0, 60.0, nil),
        (1.0, 0.0, .invalidClaim),
        (0.0, 0.0, nil),
    ])
    func issuedAt(offset: Double, leeway: Double, expected: PortcullisError.Code?) throws {
        var fixture = Fixture()
        fixture.claims["iat"] = .number(JSONNumber(testNow + offset))
        fixture.claims["nbf"] = nil
        let token = try fixture.token()
        try expect(expected) { () throws(PortcullisError) in
            _ = try fixture.verify(token, configuration: fixture.configuration(leeway: leeway))
        }
    }

    @Test("exp is required and must be a number")
    func expirationRequired() throws {
        var fixture = Fixture()
        fixture.claims["exp"] = nil
        var error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token()) }
        #expect(error?.code == .missingClaim)
        #expect(error?.claim == "exp")

        fixture.claims["exp"] = .string("\(Int(testNow) + 600)")
        error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token()) }
        #expect(error?.code == .invalidClaim)
        #expect(error?.claim == "exp")
    }

    @Test("nbf and iat must be numbers", arguments: ["nbf", "iat"])
    func numericDates(claim: String) throws {
        var fixture = Fixture()
        fixture.claims[claim] = .string("yesterday")
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token()) }
        #expect(error?.code == .invalidClaim)
        #expect(error?.claim == claim)
    }

    @Test("fractional NumericDates are accepted")
    func fractional() throws {
        var fixture = Fixture()
        fixture.claims["exp"] = .number(JSONNumber(testNow + 0.75))
        let token = try fixture.token()
        let verified = try fixture.verify(token, configuration: fixture.configuration(leeway: 0))
        #expect(verified.expiration.secondsSince1970 == testNow + 0.75)
    }

    @Test("maximum token age needs iat and bounds it")
    func maximumAge() throws {
        var fixture = Fixture()
        var configuration = fixture.configuration(leeway: 0)
        configuration.maximumTokenAge = 300
        fixture.claims["iat"] = .number(JSONNumber(testNow - 299))
        #expect(throws: Never.self) { try fixture.verify(try fixture.token(), configuration: configuration) }

        fixture.claims["iat"] = .number(JSONNumber(testNow - 301))
        var error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .expired)

        fixture.claims["iat"] = nil
        error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .missingClaim)
    }
}

/// Runs `body` and checks it throws `expected`, or succeeds when `expected` is nil.
func expect(
    _ expected: PortcullisError.Code?, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(PortcullisError) -> Void
) throws {
    do {
        try body()
        #expect(expected == nil, "accepted, expected \(expected?.rawValue ?? "")", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == expected, "\(error)", sourceLocation: sourceLocation)
    }
}
