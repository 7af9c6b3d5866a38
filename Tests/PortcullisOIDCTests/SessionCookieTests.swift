import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

@Suite("Session cookies: AES-GCM codec, rotation, timeouts, revocation")
struct SessionCookieTests {
    static func codec(_ current: SessionKey, previous: [SessionKey] = [], name: String = "portcullis_session") throws -> SessionCookieCodec {
        try SessionCookieCodec(cookieName: name, current: current, previous: previous)
    }

    @Test func sealOpenAndTamper() throws {
        let codec = try Self.codec(try .generate(id: "k1"))
        let value = try codec.seal(Array("hello".utf8))
        #expect(value.hasPrefix("k1."))
        #expect(codec.open(value) == Array("hello".utf8))
        #expect(try codec.seal(Array("hello".utf8)) != value) // fresh IV each time
        // Every single-character change is refused.
        let characters = Array(value)
        for index in stride(from: 3, to: characters.count, by: 3) {
            var changed = characters
            changed[index] = changed[index] == "A" ? "B" : "A"
            #expect(codec.open(String(changed)) == nil)
        }
        #expect(codec.open(String(value.dropLast(4))) == nil)
        #expect(codec.open("k1.") == nil)
        #expect(codec.open("") == nil)
        #expect(codec.open(value + ".x") == nil)
        #expect(codec.open(String(repeating: "A", count: 5_000)) == nil)
    }

    @Test func wrongKeyOtherCookieNameAndRotation() throws {
        let old = try SessionKey.generate(id: "2025")
        let new = try SessionKey.generate(id: "2026")
        let sealedOld = try Self.codec(old).seal([1, 2, 3])
        #expect(try Self.codec(new).open(sealedOld) == nil)
        // Same key id, different secret: the tag fails.
        #expect(try Self.codec(try SessionKey.generate(id: "2025")).open(sealedOld) == nil)
        // The same key under another cookie name: the associated data differs.
        #expect(try Self.codec(old, name: "other").open(sealedOld) == nil)
        // Rotation: the new codec seals with the new key and still opens the old cookies.
        let rotated = try Self.codec(new, previous: [old])
        #expect(rotated.open(sealedOld) == [1, 2, 3])
        #expect(try rotated.seal([4]).hasPrefix("2026."))
        // A key dropped from the ring no longer opens its cookies.
        #expect(try Self.codec(new).open(sealedOld) == nil)
    }

    @Test func keyValidation() throws {
        let short = #expect(throws: PortcullisError.self) { try SessionKey(id: "k", secret: [UInt8](repeating: 1, count: 16)) }
        #expect(short?.code == .invalidKey)
        let badID = #expect(throws: PortcullisError.self) { try SessionKey(id: "a.b", secret: [UInt8](repeating: 1, count: 32)) }
        #expect(badID?.code == .invalidKey)
        let key = try SessionKey.generate(id: "same")
        let duplicate = #expect(throws: PortcullisError.self) { try Self.codec(key, previous: [try .generate(id: "same")]) }
        #expect(duplicate?.code == .invalidKey)
    }

    struct Fixture {
        let clock: PortcullisTesting.TestClock
        let issuer: TestIssuer
        let manager: SessionManager
        let store: InMemorySessionStore
    }

    static func fixture(secure: Bool = true) throws -> Fixture {
        let clock = PortcullisTesting.TestClock()
        let issuer = try TestIssuer(issuer: "https://login.example.com", audience: "portal", clock: clock)
        let store = InMemorySessionStore()
        let configuration = SessionConfiguration(idleTimeout: 100, absoluteTimeout: 1_000, secure: secure)
        let manager = SessionManager(
            configuration: configuration, codec: try codec(try .generate(id: "k1")), store: store, clock: clock.secondsSource)
        return Fixture(clock: clock, issuer: issuer, manager: manager, store: store)
    }

    static func signIn(_ f: Fixture, subject: String = "ada") async throws -> SignIn {
        let raw = try f.issuer.mint(subject: subject, type: "JWT")
        let validator = IDTokenValidator(issuer: f.issuer.issuer, clientID: "portal", verifier: try f.issuer.verifier())
        let idToken = try await validator.validate(raw)
        return SignIn(idToken: idToken, rawIDToken: raw, tokens: try TokenResponse(
            status: 200, body: Array(#"{"access_token": "a", "token_type": "Bearer", "id_token": "\#(raw)"}"#.utf8)), returnTo: "/", completedAt: f.clock.seconds)
    }

    static func cookieValue(_ setCookie: String) -> String {
        String(setCookie.prefix { $0 != ";" }.drop { $0 != "=" }.dropFirst())
    }

    @Test func cookieAttributes() throws {
        let f = try Self.fixture()
        let header = f.manager.setCookie("v", maxAge: 60)
        #expect(header == "portcullis_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure")
        #expect(try Self.fixture(secure: false).manager.setCookie("v", maxAge: 1).hasSuffix("SameSite=Lax"))
        #expect(f.manager.clearCookie.contains("Max-Age=0"))
        #expect(SessionConfiguration.secureFlag(forPublicURL: "http://127.0.0.1:8080") == false)
        #expect(SessionConfiguration.secureFlag(forPublicURL: "http://localhost") == false)
        #expect(SessionConfiguration.secureFlag(forPublicURL: "http://[::1]:80/") == false)
        #expect(SessionConfiguration.secureFlag(forPublicURL: "http://portal.example.com") == true)
        #expect(SessionConfiguration.secureFlag(forPublicURL: "https://127.0.0.1") == true)
    }

    @Test func beginResumeAndIdleTimeout() async throws {
        let f = try Self.fixture()
        let (session, setCookie) = try await f.manager.begin(try await Self.signIn(f), replacing: nil)
        let cookie = Self.cookieValue(setCookie)
        #expect(session.subject == "ada")
        #expect(await f.manager.resume(cookie)?.id == session.id)
        f.clock.advance(by: 90)
        #expect(await f.manager.resume(cookie)?.id == session.id) // used: the idle clock restarts
        f.clock.advance(by: 90)
        #expect(await f.manager.resume(cookie) != nil)
        f.clock.advance(by: 101)
        #expect(await f.manager.resume(cookie) == nil)
        #expect(await f.store.count == 0) // an idle session is revoked
    }

    @Test func absoluteTimeoutEndsAnActiveSession() async throws {
        let f = try Self.fixture()
        let cookie = Self.cookieValue(try await f.manager.begin(try await Self.signIn(f), replacing: nil).setCookie)
        for _ in 0..<10 {
            #expect(await f.manager.resume(cookie) != nil)
            f.clock.advance(by: 99)
        }
        f.clock.advance(by: 20) // 1010 s after sign-in
        #expect(await f.manager.resume(cookie) == nil)
    }

    @Test func loginGivesANewSessionIDAndRevokesThePreviousOne() async throws {
        let f = try Self.fixture()
        let first = try await f.manager.begin(try await Self.signIn(f), replacing: nil)
        let second = try await f.manager.begin(try await Self.signIn(f, subject: "vera"), replacing: Self.cookieValue(first.setCookie))
        #expect(first.session.id != second.session.id)
        #expect(await f.manager.resume(Self.cookieValue(first.setCookie)) == nil)
        #expect(await f.manager.resume(Self.cookieValue(second.setCookie))?.subject == "vera")
    }

    @Test func logoutRevokesOnTheServer() async throws {
        let f = try Self.fixture()
        let cookie = Self.cookieValue(try await f.manager.begin(try await Self.signIn(f), replacing: nil).setCookie)
        #expect(await f.manager.end(cookie)?.subject == "ada")
        #expect(await f.manager.resume(cookie) == nil) // the cookie still decrypts, the session is gone
        #expect(await f.manager.end(cookie) == nil)
        #expect(await f.manager.resume("garbage") == nil)
        #expect(await f.manager.resume(nil) == nil)
    }

    @Test func cookieHeaderParsing() {
        #expect(CookieHeader.values(named: "s", in: ["a=1; s=two; b=3", "s=x=y"]) == ["two", "x=y"])
        #expect(CookieHeader.values(named: "s", in: ["ss=1;s"]) == [])
    }
}
