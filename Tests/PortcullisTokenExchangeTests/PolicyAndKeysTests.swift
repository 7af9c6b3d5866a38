import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import PortcullisTokenExchange
import Testing

/// The exchange policy, `act`/`may_act`, the replay cache and the signing keys.
@Suite("Token exchange: policy, actors, replay cache and keys")
struct PolicyAndKeysTests {
    static func client(_ scopes: [String], tenant: String = "t1") throws -> ExchangeClient {
        try ExchangeClient(id: "c", credential: .secret("s"), tenant: tenant, allowedScopes: scopes)
    }

    @Test func scopesAreDownScopedNeverWidened() throws {
        let policy = try ExchangePolicy(audiences: ["https://api.example"])
        let client = try Self.client(["dataset:read:t1", "dataset:query:t1", "dataset:read:t2", "reports"])
        #expect(try policy.decide(client: client, requestedScopes: [], targets: []).scopes == ["dataset:read:t1", "dataset:query:t1", "reports"])
        #expect(try policy.decide(client: client, requestedScopes: ["reports"], targets: ["https://api.example"]).scopes == ["reports"])
        for requested in [["dataset:read:t2"], ["dataset:read:t1", "dataset:write:t1"], ["admin"]] {
            let refusal = #expect(throws: ExchangePolicy.ScopeRefusal.self) {
                try policy.decide(client: client, requestedScopes: requested, targets: [])
            }
            #expect(refusal?.error.code == .invalidScope)
            #expect(refusal?.refused.isEmpty == false)
        }
        let target = #expect(throws: ExchangePolicy.ScopeRefusal.self) {
            try policy.decide(client: client, requestedScopes: [], targets: ["https://other.example"])
        }
        #expect(target?.error.code == .invalidTarget)
        #expect(policy.tenantOf("dataset:query:t9") == "t9")
        #expect(policy.tenantOf("dataset") == nil)
    }

    @Test func clientsNeedATenantIdentifier() {
        for tenant in ["", "a b", String(repeating: "x", count: 129), "t/1"] {
            let error = #expect(throws: PortcullisError.self) { try Self.client([], tenant: tenant) }
            #expect(error?.code == .malformed)
        }
    }

    @Test func actNestsAndMayActMatches() throws {
        let issuer = try TestIssuer()
        let subject = try issuer.verifiedToken(extraClaims: [
            "act": .object(["sub": "earlier"]), "may_act": .object(["sub": "bot", "iss": "https://idp.example"]),
        ])
        let bot = ActingParty(subject: "bot", issuer: "https://idp.example")
        try bot.checkMayAct(subjectToken: subject)
        #expect(try bot.actClaim(subjectToken: subject)
            == .object(["sub": "bot", "iss": "https://idp.example", "act": .object(["sub": "earlier"])]))
        for party in [ActingParty(subject: "bot", issuer: "https://other.example"), ActingParty(subject: "other", issuer: "https://idp.example"),
                      ActingParty(subject: "bot", issuer: nil)] {
            let error = #expect(throws: PortcullisError.self) { try party.checkMayAct(subjectToken: subject) }
            #expect(error?.code == .invalidRequest)
        }
        let notObject = try issuer.verifiedToken(extraClaims: ["may_act": "bot", "act": "x"])
        #expect(throws: PortcullisError.self) { try bot.checkMayAct(subjectToken: notObject) }
        #expect(throws: PortcullisError.self) { try bot.actClaim(subjectToken: notObject) }
    }

    @Test func replayCacheRefusesReusesAndFailsClosedWhenFull() {
        let cache = AssertionReplayCache(capacity: 2)
        #expect(cache.insert(clientID: "c", jti: "1", expiresAt: 100, now: 0))
        #expect(!cache.insert(clientID: "c", jti: "1", expiresAt: 100, now: 50))
        #expect(cache.insert(clientID: "d", jti: "1", expiresAt: 100, now: 50))     // per client
        #expect(!cache.insert(clientID: "c", jti: "2", expiresAt: 100, now: 60))    // full of live entries
        #expect(cache.insert(clientID: "c", jti: "2", expiresAt: 300, now: 150))    // expired ones dropped
        #expect(cache.count == 1)
    }

    @Test func rotationPublishesCurrentAndPreviousKeys() throws {
        let keys = try ExchangeSigningKeys(algorithm: .es256, retainedPreviousKeys: 1)
        let first = keys.currentKeyID
        let claims: JSONObject = ["sub": "a", "exp": .number(JSONNumber(Int64(NumericDate.now.secondsSince1970) + 60))]
        let token = try keys.sign(claims)
        try keys.rotate()
        let jwks = try keys.jwks()
        let kids = jwks["keys"]?.arrayValue?.compactMap { $0.objectValue?["kid"]?.stringValue }
        #expect(kids == [keys.currentKeyID, first])
        #expect(jwks["keys"]?.arrayValue?.allSatisfy { $0.objectValue?["d"] == nil } == true)
        let verifier = JWTVerifier(keys: keys.keySet, configuration: VerifierConfiguration(algorithms: [.es256]))
        #expect(try verifier.verify(token).subject == "a")
        try keys.rotate()
        let error = #expect(throws: PortcullisError.self) {
            try JWTVerifier(keys: keys.keySet, configuration: VerifierConfiguration(algorithms: [.es256])).verify(token)
        }
        #expect(error?.code == .keyNotFound)
        #expect(throws: PortcullisError.self) { try ExchangeSigningKeys(algorithm: .hs256) }
    }
}
