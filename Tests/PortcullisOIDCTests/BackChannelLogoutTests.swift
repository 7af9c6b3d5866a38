import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// OpenID Connect Back-Channel Logout 1.0: Logout Token validation (§2.6) and ending the sessions
/// it names (§2.7), in both built-in stores.
@Suite("Relying party: back-channel logout")
struct BackChannelLogoutTests {
    typealias RP = RelyingPartyTests

    static let event: JSONObject = ["http://schemas.openid.net/event/backchannel-logout": .object([:])]

    /// A Logout Token of the fixture's provider; `changes` are applied last (`.null` removes).
    static func logoutToken(_ f: RP.Fixture, subject: String = "ada", _ changes: JSONObject = [:], type: String? = "logout+jwt") throws -> String {
        var claims: JSONObject = ["jti": .string(UUID().uuidString), "events": .object(event), "sid": "s1"]
        for member in changes { claims[member.name] = member.value }
        return try f.issuer.mint(subject: subject, extraClaims: claims, type: type)
    }

    @Test func aValidLogoutToken() async throws {
        let f = try RP.fixture()
        let logout = try await f.rp.validateLogoutToken(try Self.logoutToken(f))
        #expect(logout.subject == "ada" && logout.sessionID == "s1")
        let sidOnly = try await f.rp.validateLogoutToken(try Self.logoutToken(f, ["sub": .null]))
        #expect(sidOnly.subject == nil && sidOnly.sessionID == "s1")
        let untyped = try await f.rp.validateLogoutToken(try Self.logoutToken(f, type: "JWT"))
        #expect(untyped.subject == "ada")
    }

    static let invalid: [(changes: JSONObject, claim: String)] = [
        (["events": .null], "events"),
        (["events": .object(["http://schemas.openid.net/event/other": .object([:])])], "events"),
        (["events": .object(["http://schemas.openid.net/event/backchannel-logout": "yes"])], "events"),
        (["nonce": "n-1"], "nonce"),
        (["sub": .null, "sid": .null], "sub"),
        (["jti": .null], "jti"),
        (["iat": .null], "iat"),
    ]

    @Test(arguments: 0..<7)
    func invalidLogoutTokens(_ index: Int) async throws {
        let (changes, claim) = Self.invalid[index]
        let f = try RP.fixture()
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(try Self.logoutToken(f, changes)) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.claim == claim)
    }

    @Test func otherTokensAreRefused() async throws {
        let f = try RP.fixture()
        // An access token (typ at+jwt), and an ID token of a sign-in (a nonce, no events).
        let access = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(try Self.logoutToken(f, type: "at+jwt")) }
        #expect(access?.claim == "typ")
        let idToken = try f.issuer.mint(subject: "ada", extraClaims: ["nonce": "n", "jti": "j"], type: "JWT")
        let id = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(idToken) }
        #expect(id?.claim == "events")
        // Another client's, an expired one, a forged one: the verifier's own codes.
        let foreign = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(try Self.logoutToken(f, ["aud": "other-client"])) }
        #expect(foreign?.code == .invalidAudience)
        let old = try f.issuer.mint(subject: "ada", lifetime: -600, extraClaims: ["jti": "j2", "events": .object(Self.event)], type: "logout+jwt")
        let expired = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(old) }
        #expect(expired?.code == .expired)
        let other = try TestIssuer(issuer: RP.issuerURL, audience: RP.clientID)
        let forged = try other.mint(subject: "ada", extraClaims: ["jti": "j3", "events": .object(Self.event)], type: "logout+jwt")
        let signature = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(forged) }
        #expect(signature?.code == .invalidSignature || signature?.code == .keyNotFound)
    }

    @Test func aReplayedLogoutTokenIsRefused() async throws {
        let f = try RP.fixture()
        let token = try Self.logoutToken(f)
        _ = try await f.rp.validateLogoutToken(token)
        let error = await #expect(throws: PortcullisError.self) { try await f.rp.validateLogoutToken(token) }
        #expect(error?.claim == "jti")
    }

    /// Sessions of `ada` (provider sessions s1 and s2) and `vera` (s3) in `store`.
    static func sessions(_ f: RP.Fixture, in store: any SessionStore) async throws -> SessionManager {
        let verifier = try f.issuer.verifier()
        for (id, subject, sid) in [("a1", "ada", "s1"), ("a2", "ada", "s2"), ("v1", "vera", "s3")] {
            let raw = try f.issuer.mint(subject: subject, extraClaims: ["sid": .string(sid)], type: "JWT")
            try await store.save(Session(
                id: id, subject: subject, token: try verifier.verify(raw), rawIDToken: raw, csrfToken: "c",
                createdAt: 0, lastSeen: 0))
        }
        let codec = try SessionCookieCodec(cookieName: "portcullis_session", current: try .generate(id: "k1"))
        return SessionManager(configuration: SessionConfiguration(), codec: codec, store: store)
    }

    @Test(arguments: [false, true])
    func logoutEndsTheSessionsItNames(inFiles: Bool) async throws {
        let f = try RP.fixture()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-bcl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store: any SessionStore = inFiles ? try FileSessionStore(directory: directory) : InMemorySessionStore()
        let manager = try await Self.sessions(f, in: store)
        // sid: that provider session only.
        #expect(try await manager.end(try await f.rp.validateLogoutToken(try Self.logoutToken(f, ["sub": .null]))) == 1)
        let a1 = try await store.load(id: "a1"), a2 = try await store.load(id: "a2")
        #expect(a1 == nil && a2 != nil)
        // sub: every session of the user; the others stay.
        #expect(try await manager.end(try await f.rp.validateLogoutToken(try Self.logoutToken(f, ["sid": .null]))) == 1)
        #expect(try await store.load(id: "a2") == nil)
        #expect(try await store.load(id: "v1") != nil)
        // Ending nothing is success.
        #expect(try await manager.end(try await f.rp.validateLogoutToken(try Self.logoutToken(f, ["sid": .null]))) == 0)
    }

    /// A store that can only load, save and revoke by id.
    actor PlainStore: SessionStore {
        func save(_ session: Session) {}
        func load(id: String) -> Session? { nil }
        func revoke(id: String) {}
    }

    @Test func aStoreThatCannotSearchCannotEndSessionsByUser() async throws {
        let f = try RP.fixture()
        let codec = try SessionCookieCodec(cookieName: "portcullis_session", current: try .generate(id: "k1"))
        let manager = SessionManager(configuration: SessionConfiguration(), codec: codec, store: PlainStore())
        let logout = try await f.rp.validateLogoutToken(try Self.logoutToken(f))
        let error = await #expect(throws: PortcullisError.self) { try await manager.end(logout) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("SearchableSessionStore") == true)
    }

    @Test func aRevokedSessionIsNotBroughtBackByAConcurrentRequest() async throws {
        let f = try RP.fixture()
        let store = InMemorySessionStore()
        _ = try await Self.sessions(f, in: store)
        let loaded = try #require(await store.load(id: "a1"))
        await store.revoke(id: "a1")
        let updated = try await store.update(loaded)
        #expect(updated == false)
        #expect(await store.load(id: "a1") == nil)
    }
}
