import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// Stored session records and the directory-backed store: sessions that survive a restart.
@Suite("Sessions: stored records and FileSessionStore")
struct FileSessionStoreTests {
    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-sessions-\(UUID().uuidString)")
    }

    static func session(_ f: SessionCookieTests.Fixture) async throws -> Session {
        let signIn = try await SessionCookieTests.signIn(f)
        return Session(
            id: "session-1", subject: "ada", token: signIn.authorizationToken, rawIDToken: signIn.rawIDToken, csrfToken: "csrf-1",
            createdAt: 100, lastSeen: 150, accessToken: "at-1", refreshToken: "rt-1", accessTokenExpiresAt: 400, claimsReadAt: 120)
    }

    @Test func aRecordRestoresEveryField() async throws {
        let f = try SessionCookieTests.fixture()
        let original = try await Self.session(f)
        let restored = try Session(storedRecord: original.storedRecord())
        #expect(restored.id == "session-1" && restored.subject == "ada" && restored.csrfToken == "csrf-1")
        #expect(restored.rawIDToken == original.rawIDToken)
        #expect(restored.createdAt == 100 && restored.lastSeen == 150 && restored.claimsReadAt == 120)
        #expect(restored.accessToken == "at-1" && restored.refreshToken == "rt-1" && restored.accessTokenExpiresAt == 400)
        #expect(restored.token.claims.json == original.token.claims.json)
        #expect(restored.token.subject == "ada" && restored.token.issuer == original.token.issuer)
        #expect(restored.token.algorithm == original.token.algorithm && restored.token.expiration == original.token.expiration)
    }

    @Test(arguments: ["", "[]", #"{"v": 2}"#, #"{"v": 1, "id": "x"}"#])
    func anythingElseIsMalformed(_ text: String) {
        let error = #expect(throws: PortcullisError.self) { try Session(storedRecord: Array(text.utf8)) }
        #expect(error?.code == .malformed)
    }

    @Test func sessionsSurviveANewStoreOverTheSameDirectory() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let f = try SessionCookieTests.fixture()
        let session = try await Self.session(f)
        try await FileSessionStore(directory: directory).save(session)
        let reopened = try FileSessionStore(directory: directory)
        #expect(await reopened.load(id: "session-1")?.refreshToken == "rt-1")
        #expect(await reopened.load(id: "session-2") == nil)
        await reopened.revoke(id: "session-1")
        #expect(await reopened.load(id: "session-1") == nil)
    }

    @Test func filesArePrivateAndNamedByDigest() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let f = try SessionCookieTests.fixture()
        try await FileSessionStore(directory: directory).save(try await Self.session(f))
        let manager = FileManager.default
        #expect((try manager.attributesOfItem(atPath: directory.path))[.posixPermissions] as? Int == 0o700)
        let names = try manager.contentsOfDirectory(atPath: directory.path)
        #expect(names.count == 1)
        let name = try #require(names.first)
        #expect(!name.contains("session-1") && name.count == 64 + ".session".count)
        #expect((try manager.attributesOfItem(atPath: directory.appendingPathComponent(name).path))[.posixPermissions] as? Int == 0o600)
        // A damaged file is no session (never a crash).
        try Data("garbage".utf8).write(to: directory.appendingPathComponent(name))
        let damaged = try FileSessionStore(directory: directory)
        #expect(await damaged.load(id: "session-1") == nil)
    }

    @Test func aDirectoryThatCannotBeMadeIsRefused() throws {
        let file = Self.directory()
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: PortcullisError.self) { try FileSessionStore(directory: file.appendingPathComponent("sessions")) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func aRestartedServerWithTheSameKeysResumesTheSession() async throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let f = try SessionCookieTests.fixture()
        let key = try SessionKey.generate(id: "k1")
        func manager() throws -> SessionManager {
            SessionManager(
                configuration: SessionConfiguration(idleTimeout: 100, absoluteTimeout: 1_000),
                codec: try SessionCookieTests.codec(key), store: try FileSessionStore(directory: directory), clock: f.clock.secondsSource)
        }
        let (session, setCookie) = try await manager().begin(try await SessionCookieTests.signIn(f), replacing: nil)
        let cookie = SessionCookieTests.cookieValue(setCookie)
        let resumed = await (try manager()).resume(cookie)
        #expect(resumed?.id == session.id && resumed?.csrfToken == session.csrfToken)
        await (try manager()).end(cookie)
        #expect(await (try manager()).resume(cookie) == nil)
    }
}
