import PortcullisJOSE
import Testing

@Suite("JWTClaims (RFC 7519 §4, RFC 9068 §2.2)")
struct JWTClaimsTests {
    func claims(_ text: String) throws -> JWTClaims {
        try JWTClaims(parsing: Array(text.utf8))
    }

    @Test("registered claims")
    func registered() throws {
        let claims = try claims(#"{"iss":"https://issuer","sub":"u1","aud":"api","exp":1700000000,"nbf":1699999999.5,"iat":1699990000,"jti":"j","client_id":"c"}"#)
        #expect(try claims.issuer == "https://issuer")
        #expect(try claims.subject == "u1")
        #expect(try claims.audience == ["api"])
        #expect(try claims.expiration == NumericDate(1_700_000_000))
        #expect(try claims.notBefore?.secondsSince1970 == 1_699_999_999.5)
        #expect(try claims.issuedAt == NumericDate(1_699_990_000))
        #expect(try claims.jwtID == "j")
        #expect(try claims.clientID == "c")
        #expect(claims["sub"] == .string("u1"))
        #expect(claims["nope"] == nil)
    }

    @Test("absent claims are nil, not errors")
    func absent() throws {
        let claims = try claims("{}")
        #expect(try claims.issuer == nil)
        #expect(try claims.audience == nil)
        #expect(try claims.expiration == nil)
        #expect(try claims.scopes == [])
    }

    @Test("aud: string, array, and wrong types")
    func audience() throws {
        #expect(try claims(#"{"aud":["a","b"]}"#).audience == ["a", "b"])
        #expect(try claims(#"{"aud":[]}"#).audience == [])
        for bad in [#"{"aud":1}"#, #"{"aud":["a",1]}"#, #"{"aud":null}"#, #"{"aud":{"a":1}}"#] {
            let claims = try claims(bad)
            let error = #expect(throws: PortcullisError.self) { try claims.audience }
            #expect(error?.code == .invalidClaim)
            #expect(error?.claim == "aud")
        }
    }

    @Test("times must be JSON numbers", arguments: ["exp", "nbf", "iat"])
    func timesAsStrings(name: String) throws {
        let claims = try claims(#"{"\#(name)":"1700000000"}"#)
        let error = #expect(throws: PortcullisError.self) {
            switch name {
            case "exp": _ = try claims.expiration
            case "nbf": _ = try claims.notBefore
            default: _ = try claims.issuedAt
            }
        }
        #expect(error?.code == .invalidClaim)
        #expect(error?.claim == name)
        #expect(error?.message.contains(name) == true)
    }

    @Test("string claims of the wrong type", arguments: ["iss", "sub", "jti", "client_id"])
    func wrongStrings(name: String) throws {
        let claims = try claims(#"{"\#(name)":42}"#)
        let error = #expect(throws: PortcullisError.self) { try claims.string(name) }
        #expect(error?.code == .invalidClaim && error?.claim == name)
    }

    static let scopeCases: [(String, [String]?)] = [
        (#"{"scope":"a b  c"}"#, ["a", "b", "c"]),
        (#"{"scope":" completions  completions:premium "}"#, ["completions", "completions:premium"]),
        (#"{"scope":""}"#, []),
        (#"{"scope":"a","scp":["b"]}"#, ["a"]),
        (#"{"scp":"x y"}"#, ["x", "y"]),
        (#"{"scp":["x","y z"]}"#, ["x", "y z"]),
        (#"{"scope":["a"]}"#, nil),
        (#"{"scope":1}"#, nil),
        (#"{"scp":1}"#, nil),
        (#"{"scp":["a",2]}"#, nil),
    ]

    @Test("scope versus scp", arguments: scopeCases)
    func scopes(text: String, expected: [String]?) throws {
        let claims = try claims(text)
        if let expected {
            #expect(try claims.scopes == expected)
        } else {
            let error = #expect(throws: PortcullisError.self) { try claims.scopes }
            #expect(error?.code == .invalidClaim)
        }
    }

    @Test("NumericDate ordering and description")
    func numericDate() {
        #expect(NumericDate(1) < NumericDate(1.5))
        #expect(NumericDate(1_700_000_000).description == "1700000000")
        #expect(NumericDate(1.5).description == "1.5")
    }

    struct Custom: Decodable, Equatable {
        let tenant: String
        let roles: [String]
    }

    @Test("decoding custom claims")
    func decode() throws {
        let claims = try claims(#"{"tenant":"t123","roles":["Admin","Viewer"],"exp":1}"#)
        #expect(try claims.decode(Custom.self) == Custom(tenant: "t123", roles: ["Admin", "Viewer"]))
        let bad = try self.claims(#"{"tenant":5,"roles":[]}"#)
        let error = #expect(throws: PortcullisError.self) { try bad.decode(Custom.self) }
        #expect(error?.code == .invalidClaim)
        #expect(error?.message.contains("tenant") == true)
    }
}
