import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing
@testable import PortcullisOIDC

/// OpenID Connect Core 1.0 Appendix A.3/A.4 values; the SHA-384 and SHA-512 halves were computed
/// independently with Python's hashlib (`base64url(sha3xx(value)[:n/2])`).
enum HashVectors {
    static let accessToken = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
    static let code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
    static let atHash: [JWSAlgorithm.Digest: String] = [
        .sha256: "77QmUPtjPfzWtF2AnpK9RQ", .sha384: "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs",
        .sha512: "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM",
    ]
    static let cHash: [JWSAlgorithm.Digest: String] = [
        .sha256: "LDktKdoQak3Pk0cnXxCltA", .sha384: "Mq-knyaEMtWGfnBi2POEZb1kiLx10_DF",
        .sha512: "E9z1C-c0Az4eTEzE0Nm3OQ3BS2BhMgxuP7x5JAQj1_4",
    ]
}

@Suite("ID token rules (OpenID Connect Core §3.1.3.7)")
struct IDTokenValidatorTests {
    static let issuer = "https://login.example.com"
    static let clientID = "portal"
    static let now = 1_800_000_000.0
    static let es256 = try! CryptoKey.generate(.ec(.p256))
    static let es384 = try! CryptoKey.generate(.ec(.p384))
    static let es512 = try! CryptoKey.generate(.ec(.p521))
    static let ed25519 = try! CryptoKey.generate(.okp(.ed25519))
    static let ed448 = try! CryptoKey.generate(.okp(.ed448))

    static func key(for algorithm: JWSAlgorithm) -> CryptoKey {
        switch algorithm {
        case .es384: es384
        case .es512: es512
        case .eddsa: ed25519
        default: es256
        }
    }

    static func validator(additionalAudiences: Set<String>? = []) -> IDTokenValidator {
        let keys = KeySet([
            VerificationKey(es256, keyID: "es256"), VerificationKey(es384, keyID: "es384"),
            VerificationKey(es512, keyID: "es512"), VerificationKey(ed25519, keyID: "ed25519"),
            VerificationKey(ed448, keyID: "ed448"),
        ])
        var rules = VerifierConfiguration(algorithms: [.es256, .es384, .es512, .eddsa], issuers: [issuer], audiences: [clientID])
        rules.clock = { NumericDate(now) }
        var validator = IDTokenValidator(issuer: issuer, clientID: clientID, verifier: JWTVerifier(keys: keys, configuration: rules))
        validator.clock = { NumericDate(now) }
        validator.additionalAudiences = additionalAudiences
        return validator
    }

    static func idToken(
        _ changes: JSONObject = JSONObject(), removing: [String] = [], algorithm: JWSAlgorithm = .es256, key: CryptoKey? = nil
    ) -> String {
        var claims: JSONObject = [
            "iss": .string(issuer), "sub": .string("248289761001"), "aud": .string(clientID),
            "exp": .number(JSONNumber(now + 600)), "iat": .number(JSONNumber(now - 5)),
            "nonce": .string("n-0S6_WzA2Mj"), "auth_time": .number(JSONNumber(now - 120)),
            "acr": .string("urn:mace:incommon:iap:silver"), "amr": .array([.string("pwd"), .string("otp")]),
        ]
        for member in changes { claims[member.name] = member.value }
        for name in removing { claims[name] = nil }
        let signingKey = key ?? Self.key(for: algorithm)
        let keyID = key != nil ? "ed448" : (algorithm == .eddsa ? "ed25519" : algorithm.name.lowercased())
        return try! JWTSigner(key: signingKey, algorithm: algorithm, keyID: keyID).sign(claims)
    }

    func rejects(
        _ token: String, _ expectations: IDTokenExpectations = IDTokenExpectations(),
        validator: IDTokenValidator = validator(), code: PortcullisError.Code, claim: String? = nil
    ) async {
        let error = await #expect(throws: PortcullisError.self) { try await validator.validate(token, expecting: expectations) }
        #expect(error?.code == code)
        if let claim { #expect(error?.claim == claim) }
    }

    @Test func acceptsAValidIDTokenWithEveryCheck() async throws {
        let token = Self.idToken([
            "at_hash": .string(HashVectors.atHash[.sha256]!), "c_hash": .string(HashVectors.cHash[.sha256]!),
            "aud": .array([.string(Self.clientID), .string("api://reports")]), "azp": .string(Self.clientID),
        ])
        let expectations = IDTokenExpectations(
            nonce: "n-0S6_WzA2Mj", accessToken: HashVectors.accessToken, requiresAccessTokenHash: true,
            authorizationCode: HashVectors.code, requiresCodeHash: true, maxAge: 300,
            acceptableACRValues: ["urn:mace:incommon:iap:silver", "urn:mace:incommon:iap:gold"])
        let id = try await Self.validator(additionalAudiences: ["api://reports"]).validate(token, expecting: expectations)
        #expect(id.subject == "248289761001")
        #expect(id.nonce == "n-0S6_WzA2Mj")
        #expect(id.authTime == NumericDate(Self.now - 120))
        #expect(id.authenticationContextClass == "urn:mace:incommon:iap:silver")
        #expect(id.authenticationMethods == ["pwd", "otp"])
        #expect(id.authorizedParty == Self.clientID)
    }

    @Test func issuerMustMatchExactly() async {
        await rejects(Self.idToken(["iss": .string(Self.issuer + "/")]), code: .invalidIssuer)
        // Even when the underlying verifier accepts any issuer.
        var rules = VerifierConfiguration(algorithms: [.es256], audiences: [Self.clientID])
        rules.clock = { NumericDate(Self.now) }
        let lax = IDTokenValidator(
            issuer: Self.issuer, clientID: Self.clientID,
            verifier: JWTVerifier(keys: KeySet([VerificationKey(Self.es256, keyID: "es256")]), configuration: rules))
        await rejects(Self.idToken(["iss": .string("https://evil.example")]), validator: lax, code: .invalidIssuer, claim: "iss")
    }

    @Test func audienceAndAuthorizedParty() async throws {
        await rejects(Self.idToken(["aud": .string("someone-else")]), code: .invalidAudience)
        let two: JSONValue = .array([.string(Self.clientID), .string("api://reports")])
        // An untrusted extra audience is refused; a trusted one needs azp.
        await rejects(Self.idToken(["aud": two, "azp": .string(Self.clientID)]), code: .invalidAudience, claim: "aud")
        let trusting = Self.validator(additionalAudiences: ["api://reports"])
        await rejects(Self.idToken(["aud": two]), validator: trusting, code: .missingClaim, claim: "azp")
        await rejects(Self.idToken(["aud": two, "azp": .string("api://reports")]), validator: trusting, code: .invalidClaim, claim: "azp")
        _ = try await trusting.validate(Self.idToken(["aud": two, "azp": .string(Self.clientID)]))
        // azp, when present with one audience, must still be this client.
        await rejects(Self.idToken(["azp": .string("other")]), code: .invalidClaim, claim: "azp")
        await rejects(Self.idToken(["azp": .number(JSONNumber(1))]), code: .invalidClaim, claim: "azp")
        _ = try await Self.validator().validate(Self.idToken(["azp": .string(Self.clientID)]))
        // nil additional audiences: any extra audience, tied by azp.
        _ = try await Self.validator(additionalAudiences: nil).validate(
            Self.idToken(["aud": .array([.string(Self.clientID), .string("x")]), "azp": .string(Self.clientID)]))
    }

    @Test func requiredClaims() async {
        await rejects(Self.idToken(removing: ["sub"]), code: .missingClaim, claim: "sub")
        await rejects(Self.idToken(removing: ["iat"]), code: .missingClaim, claim: "iat")
        await rejects(Self.idToken(removing: ["exp"]), code: .missingClaim, claim: "exp")
        await rejects(Self.idToken(["exp": .number(JSONNumber(Self.now - 61))]), code: .expired)
    }

    @Test func nonce() async throws {
        let expecting = IDTokenExpectations(nonce: "n-0S6_WzA2Mj")
        _ = try await Self.validator().validate(Self.idToken(), expecting: expecting)
        await rejects(Self.idToken(removing: ["nonce"]), expecting, code: .missingClaim, claim: "nonce")
        await rejects(Self.idToken(["nonce": .string("n-0S6_WzA2Mk")]), expecting, code: .invalidClaim, claim: "nonce")
        await rejects(Self.idToken(["nonce": .number(JSONNumber(7))]), expecting, code: .invalidClaim, claim: "nonce")
        // No nonce sent: a nonce in the token is not checked.
        _ = try await Self.validator().validate(Self.idToken(["nonce": .string("whatever")]))
    }

    @Test func acr() async throws {
        let expecting = IDTokenExpectations(acceptableACRValues: ["urn:mace:incommon:iap:gold"])
        _ = try await Self.validator().validate(Self.idToken(["acr": .string("urn:mace:incommon:iap:gold")]), expecting: expecting)
        await rejects(Self.idToken(), expecting, code: .invalidClaim, claim: "acr")
        await rejects(Self.idToken(removing: ["acr"]), expecting, code: .missingClaim, claim: "acr")
    }

    @Test func authTimeWithMaxAge() async throws {
        let maxAge = IDTokenExpectations(maxAge: 300)
        // auth_time + max_age + leeway(60) >= now is accepted, one second later is not.
        _ = try await Self.validator().validate(Self.idToken(["auth_time": .number(JSONNumber(Self.now - 360))]), expecting: maxAge)
        await rejects(Self.idToken(["auth_time": .number(JSONNumber(Self.now - 361))]), maxAge, code: .invalidClaim, claim: "auth_time")
        await rejects(Self.idToken(removing: ["auth_time"]), maxAge, code: .missingClaim, claim: "auth_time")
        await rejects(Self.idToken(["auth_time": .string("yesterday")]), maxAge, code: .invalidClaim, claim: "auth_time")
        await rejects(Self.idToken(removing: ["auth_time"]), IDTokenExpectations(requiresAuthTime: true), code: .missingClaim, claim: "auth_time")
        _ = try await Self.validator().validate(Self.idToken(removing: ["auth_time"]))
    }

    @Test(arguments: [(JWSAlgorithm.es256, JWSAlgorithm.Digest.sha256), (.es384, .sha384), (.es512, .sha512), (.eddsa, .sha512)])
    func tokenHashesMatchIndependentVectors(algorithm: JWSAlgorithm, digest: JWSAlgorithm.Digest) async throws {
        let atHash = HashVectors.atHash[digest]!, cHash = HashVectors.cHash[digest]!
        #expect(try TokenHash.leftHalf(of: HashVectors.accessToken, algorithm: algorithm, curve: .ed25519) == atHash)
        #expect(try TokenHash.leftHalf(of: HashVectors.code, algorithm: algorithm, curve: .ed25519) == cHash)
        let expecting = IDTokenExpectations(
            accessToken: HashVectors.accessToken, requiresAccessTokenHash: true,
            authorizationCode: HashVectors.code, requiresCodeHash: true)
        let token = Self.idToken(["at_hash": .string(atHash), "c_hash": .string(cHash)], algorithm: algorithm)
        _ = try await Self.validator().validate(token, expecting: expecting)
        // The other digests' values, a flipped character, and the other token are all refused.
        for (other, value) in HashVectors.atHash where other != digest {
            await rejects(Self.idToken(["at_hash": .string(value), "c_hash": .string(cHash)], algorithm: algorithm), expecting, code: .invalidClaim, claim: "at_hash")
        }
        let flipped = String(cHash.dropLast()) + (cHash.hasSuffix("A") ? "B" : "A")
        await rejects(Self.idToken(["at_hash": .string(atHash), "c_hash": .string(flipped)], algorithm: algorithm), expecting, code: .invalidClaim, claim: "c_hash")
        await rejects(Self.idToken(["at_hash": .string(cHash), "c_hash": .string(cHash)], algorithm: algorithm), expecting, code: .invalidClaim, claim: "at_hash")
    }

    @Test func tokenHashPresenceRules() async throws {
        let implicit = IDTokenExpectations(accessToken: HashVectors.accessToken, requiresAccessTokenHash: true)
        await rejects(Self.idToken(), implicit, code: .missingClaim, claim: "at_hash")
        let hybrid = IDTokenExpectations(authorizationCode: HashVectors.code, requiresCodeHash: true)
        await rejects(Self.idToken(), hybrid, code: .missingClaim, claim: "c_hash")
        // Code flow: at_hash is optional, but checked when present and the access token is known.
        let codeFlow = IDTokenExpectations(accessToken: HashVectors.accessToken)
        _ = try await Self.validator().validate(Self.idToken(), expecting: codeFlow)
        await rejects(Self.idToken(["at_hash": .string("AAAAAAAAAAAAAAAAAAAAAA")]), codeFlow, code: .invalidClaim, claim: "at_hash")
        await rejects(Self.idToken(["at_hash": .number(JSONNumber(1))]), codeFlow, code: .invalidClaim, claim: "at_hash")
    }

    @Test func ed448HashesAreRefusedNotSkipped() async throws {
        let token = Self.idToken(["at_hash": .string("AAAA")], algorithm: .eddsa, key: Self.ed448)
        _ = try await Self.validator().validate(token)
        await rejects(token, IDTokenExpectations(accessToken: HashVectors.accessToken), code: .unsupportedAlgorithm)
    }

    @Test func expectedAlgorithms() async throws {
        var validator = Self.validator()
        validator.expectedAlgorithms = [.es384]
        await rejects(Self.idToken(), validator: validator, code: .algorithmNotAllowed)
        _ = try await validator.validate(Self.idToken(algorithm: .es384))
    }
}
