import ExamplesTestSupport
import Foundation
import Testing

/// RFC 8693 §2.1 parameter rules and §2.2.2 / RFC 6749 §5.2 errors, over real HTTP.
@Suite("Partner analytics: token request parameters (RFC 8693 §2.1)", .timeLimit(.minutes(2)))
struct ParameterTests {
    /// Every answer of the token endpoint is not cacheable (RFC 6749 §5.1).
    static func expectError(_ result: HTTPResult, _ error: String, status: Int = 400, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.body)", sourceLocation: sourceLocation)
        #expect(result.json?["error"] as? String == error, "\(result.body)", sourceLocation: sourceLocation)
        #expect((result.json?["error_description"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(result.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        #expect(result.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
    }

    @Test func aValidExchangeAnswersPerSection221() async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken()))
            #expect(result.status == 200)
            #expect(result.header("Cache-Control") == "no-store")
            #expect(result.header("Pragma") == "no-cache")
            let json = try #require(result.json)
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["issued_token_type"] as? String == Harness.accessTokenType)
            #expect(json["expires_in"] as? Int == 300)
            // Without `scope` the client gets its whole allowance, and the response says so.
            #expect(json["scope"] as? String == "dataset:read:t123 dataset:query:t123")
            let claims = Harness.claims(try #require(json["access_token"] as? String))
            #expect(claims["iss"] as? String == harness.base)
            #expect(claims["aud"] as? String == harness.base)
            #expect(claims["sub"] as? String == "alice@partner.example")
            #expect(claims["tenant"] as? String == "t123")
            #expect(claims["client_id"] as? String == "demo-partner")
            #expect(claims["scope"] as? String == "dataset:read:t123 dataset:query:t123")
            #expect((claims["act"] as? [String: Any])?["sub"] as? String == "demo-partner")
            let lifetime = try #require(claims["exp"] as? Int) - (try #require(claims["iat"] as? Int))
            #expect(lifetime == 300)
        }
    }

    @Test func missingOrWrongGrantType() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            let missing = try await harness.tokenRequest([("subject_token", subject), ("subject_token_type", Harness.accessTokenType)])
            Self.expectError(missing, "invalid_request")
            let wrong = try await harness.tokenRequest(
                [("grant_type", "client_credentials"), ("subject_token", subject), ("subject_token_type", Harness.accessTokenType)])
            Self.expectError(wrong, "unsupported_grant_type")
        }
    }

    @Test func subjectTokenAndItsTypeAreRequired() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            Self.expectError(
                try await harness.tokenRequest([("grant_type", Harness.grantType), ("subject_token_type", Harness.accessTokenType)]),
                "invalid_request")
            Self.expectError(
                try await harness.tokenRequest([("grant_type", Harness.grantType), ("subject_token", subject)]), "invalid_request")
            // An empty value counts as omitted (RFC 6749 §3.1).
            Self.expectError(
                try await harness.tokenRequest(
                    [("grant_type", Harness.grantType), ("subject_token", ""), ("subject_token_type", Harness.accessTokenType)]),
                "invalid_request")
        }
    }

    @Test(arguments: [
        "urn:ietf:params:oauth:token-type:saml2", "urn:ietf:params:oauth:token-type:refresh_token", "access_token",
    ])
    func unacceptedSubjectTokenTypes(type: String) async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(
                [("grant_type", Harness.grantType), ("subject_token", try harness.partnerToken()), ("subject_token_type", type)])
            Self.expectError(result, "invalid_request")
        }
    }

    @Test(arguments: [TokenTypes.jwt, TokenTypes.idToken])
    func acceptedSubjectTokenTypes(type: String) async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(
                [("grant_type", Harness.grantType), ("subject_token", try harness.partnerToken()), ("subject_token_type", type)])
            #expect(result.status == 200, "\(result.body)")
        }
    }

    @Test func actorTokenAndItsTypeComeTogether() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            let actor = try harness.partnerToken("reporting-bot")
            Self.expectError(
                try await harness.tokenRequest(Harness.exchangeFields(subject, [("actor_token", actor)])), "invalid_request")
            Self.expectError(
                try await harness.tokenRequest(Harness.exchangeFields(subject, [("actor_token_type", Harness.accessTokenType)])),
                "invalid_request")
            Self.expectError(
                try await harness.tokenRequest(Harness.exchangeFields(
                    subject, [("actor_token", actor), ("actor_token_type", "urn:ietf:params:oauth:token-type:saml1")])),
                "invalid_request")
        }
    }

    @Test(arguments: ["grant_type", "subject_token", "subject_token_type", "scope", "requested_token_type"])
    func singleValuedParametersMayNotRepeat(name: String) async throws {
        try await Harness.run { harness in
            var fields = Harness.exchangeFields(try harness.partnerToken(), [("scope", "dataset:read:t123"), ("requested_token_type", Harness.accessTokenType)])
            guard let value = fields.first(where: { $0.0 == name })?.1 else { return }
            fields.append((name, value))
            let result = try await harness.tokenRequest(fields)
            Self.expectError(result, "invalid_request")
            #expect((result.json?["error_description"] as? String)?.contains(name) == true)
        }
    }

    @Test func resourceAndAudienceMayRepeatButMustBeThisAPI() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            let ok = try await harness.tokenRequest(Harness.exchangeFields(
                subject, [("resource", harness.base), ("audience", harness.base), ("resource", harness.base)]))
            #expect(ok.status == 200, "\(ok.body)")
            #expect(Harness.claims(ok.json?["access_token"] as? String ?? "")["aud"] as? String == harness.base)
            Self.expectError(
                try await harness.tokenRequest(Harness.exchangeFields(subject, [("resource", "https://other.example/api")])),
                "invalid_target")
            Self.expectError(
                try await harness.tokenRequest(Harness.exchangeFields(subject, [("resource", harness.base), ("audience", "billing")])),
                "invalid_target")
        }
    }

    @Test(arguments: ["not-a-uri", "/relative/path", "https://api.example/#fragment"])
    func resourceMustBeAnAbsoluteURIWithoutFragment(resource: String) async throws {
        try await Harness.run { harness in
            let result = try await harness.tokenRequest(Harness.exchangeFields(try harness.partnerToken(), [("resource", resource)]))
            Self.expectError(result, "invalid_request")
        }
    }

    @Test func requestedTokenType() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            let jwt = try await harness.tokenRequest(Harness.exchangeFields(subject, [("requested_token_type", TokenTypes.jwt)]))
            #expect(jwt.status == 200)
            #expect(jwt.json?["issued_token_type"] as? String == TokenTypes.jwt)
            Self.expectError(
                try await harness.tokenRequest(Harness.exchangeFields(subject, [("requested_token_type", TokenTypes.refreshToken)])),
                "invalid_request")
        }
    }

    @Test func malformedBodies() async throws {
        try await Harness.run { harness in
            let subject = try harness.partnerToken()
            let form = "grant_type=\(Harness.grantType)&subject_token=\(subject)&subject_token_type=\(Harness.accessTokenType)"
            Self.expectError(try await harness.tokenRequest(raw: form, contentType: "application/json"), "invalid_request")
            Self.expectError(try await harness.tokenRequest(raw: form + "&scope=%zz"), "invalid_request")
            Self.expectError(try await harness.tokenRequest(raw: form + "&scope=%FF"), "invalid_request")
            Self.expectError(try await harness.tokenRequest(raw: form + "&scope=a%20%20b"), "invalid_request")
            Self.expectError(try await harness.tokenRequest(raw: form + "&scope=" + String(repeating: "x", count: 20_000)), "invalid_request")
            // The same form with a charset parameter is fine.
            let ok = try await harness.tokenRequest(raw: form, contentType: "application/x-www-form-urlencoded; charset=utf-8")
            #expect(ok.status == 200, "\(ok.body)")
        }
    }
}

/// The token type URIs, spelled out as a client would.
enum TokenTypes {
    static let jwt = "urn:ietf:params:oauth:token-type:jwt"
    static let idToken = "urn:ietf:params:oauth:token-type:id_token"
    static let refreshToken = "urn:ietf:params:oauth:token-type:refresh_token"
}
