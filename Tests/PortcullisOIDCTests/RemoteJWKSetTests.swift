import Foundation
import PortcullisJOSE
import PortcullisJWT
import Testing
@testable import PortcullisOIDC

/// Collects events from callbacks.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [RemoteJWKSet.Event] = []
    func append(_ event: RemoteJWKSet.Event) { lock.withLock { events.append(event) } }
    var all: [RemoteJWKSet.Event] { lock.withLock { events } }
}

@Suite("RemoteJWKSet caching, refetch and outages", .enabled(if: mockServerAvailable, "needs python3 for the local HTTP server"))
struct RemoteJWKSetTests {
    let keyA = TestKey.es256("a")
    let keyB = TestKey.es256("b")

    func remote(_ site: Site, _ clock: TestClock, timeout: Duration = .seconds(10), events: EventLog? = nil) throws -> RemoteJWKSet {
        var handler: (@Sendable (RemoteJWKSet.Event) -> Void)?
        if let events { handler = { events.append($0) } }
        return try RemoteJWKSet(
            url: URL(string: site.url("/jwks"))!, configuration: testKeyConfiguration(clock, timeout: timeout),
            onEvent: handler)
    }

    @Test(arguments: [
        ("max-age=10", 300.0), ("max-age=600", 600), ("max-age=10000000", 86_400), ("no-store", 300), ("", 300),
        ("max-age=900", 800),
    ])
    func cacheLifetimeFollowsMaxAgeWithinBounds(cacheControl: String, expected: Double) async throws {
        let site = MockServer.shared!.site()
        var headers = cacheControl.isEmpty ? [:] : ["Cache-Control": cacheControl]
        if cacheControl == "max-age=900" { headers["Age"] = "100" }
        try await site.serveKeys([keyA], headers: headers)
        let clock = TestClock()
        let remote = try remote(site, clock)
        _ = try await remote.keySet()
        let status = await remote.status
        #expect(status.freshUntil.map { $0 - clock.now } == expected)
        #expect(status.staleUntil.map { $0 - clock.now } == expected + 86_400)
    }

    @Test func reusesFreshKeysAndRefetchesWhenStale() async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA], headers: ["Cache-Control": "max-age=600"])
        let clock = TestClock()
        let remote = try remote(site, clock)
        for _ in 0..<20 { _ = try await remote.keySet() }
        #expect(try await site.hits("/jwks") == 1)
        clock.advance(599)
        _ = try await remote.keySet()
        #expect(try await site.hits("/jwks") == 1)
        clock.advance(1)
        _ = try await remote.keySet()
        #expect(try await site.hits("/jwks") == 2)
    }

    @Test func unknownKeyRefetchHasACooldown() async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA])
        let clock = TestClock()
        let remote = try remote(site, clock)
        _ = try await remote.keySet()
        // Within 30 s of the last fetch, a flood of unknown kids fetches nothing.
        for _ in 0..<500 { #expect(await remote.keySetAfterUnknownKey() == nil) }
        #expect(try await site.hits("/jwks") == 1)
        clock.advance(30)
        try await site.serveKeys([keyA, keyB])
        let refreshed = try #require(await remote.keySetAfterUnknownKey())
        #expect(refreshed.keys.map(\.keyID) == ["a", "b"])
        for _ in 0..<500 { #expect(await remote.keySetAfterUnknownKey() == nil) }
        #expect(try await site.hits("/jwks") == 2)
    }

    @Test func concurrentMissesShareOneFetch() async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA], delay: 0.3)
        let clock = TestClock()
        let remote = try remote(site, clock)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<50 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? try await remote.keySet().keys.count
                        : (await remote.keySetAfterUnknownKey())?.keys.count ?? -1
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 1, count: 50))
        #expect(try await site.hits("/jwks") == 1)
        #expect(await remote.status.fetchCount == 1)
    }

    @Test func servesStaleKeysWhileTheEndpointFailsThenGivesUp() async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA], headers: ["Cache-Control": "max-age=300"])
        let clock = TestClock()
        let events = EventLog()
        let remote = try remote(site, clock, events: events)
        _ = try await remote.keySet()
        try await site.set("/jwks", status: 500, body: "down")
        clock.advance(301)
        #expect(try await remote.keySet().keys.map(\.keyID) == ["a"])
        #expect(try await site.hits("/jwks") == 2)
        #expect(await remote.status.lastError?.code == .fetchFailed)
        // During the failure back-off, requests do not fetch (nor wait).
        clock.advance(5)
        #expect(try await remote.keySet().keys.map(\.keyID) == ["a"])
        #expect(try await site.hits("/jwks") == 2)
        // Still within stale-if-error (24 h after freshness ended): stale keys, one fetch per retry.
        clock.advance(86_000)
        #expect(try await remote.keySet().keys.map(\.keyID) == ["a"])
        #expect(try await site.hits("/jwks") == 3)
        // Past the bound: the fetch error.
        clock.advance(400)
        let error = await #expect(throws: PortcullisError.self) { try await remote.keySet() }
        #expect(error?.code == .fetchFailed)
        #expect(error?.message.contains("500") == true)
        let failures = events.all.filter { if case .fetchFailed = $0 { true } else { false } }
        #expect(failures.count == 3)
        if case .fetchFailed(_, let servingStale) = failures.last { #expect(!servingStale) }
        // The endpoint recovers: the next fetch after the back-off restores service.
        try await site.serveKeys([keyB])
        clock.advance(10)
        #expect(try await remote.keySet().keys.map(\.keyID) == ["b"])
    }

    @Test(arguments: ["garbage", "timeout", "huge", "refused", "not-a-jwks"])
    func faultsKeepTheLastGoodKeys(fault: String) async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA])
        let clock = TestClock()
        var url = site.url("/jwks")
        let remote: RemoteJWKSet
        if fault == "refused" {
            // A port nothing listens on: connection refused on every fetch.
            url = "http://127.0.0.1:1/jwks"
            remote = try RemoteJWKSet(url: URL(string: url)!, configuration: testKeyConfiguration(clock))
            let error = await #expect(throws: PortcullisError.self) { try await remote.keySet() }
            #expect(error?.code == .fetchFailed)
            return
        }
        // A 3 s timeout against a server that answers after 12 s: the deadline, not the server, ends
        // the fetch (bounds are loose because CI shares two cores).
        remote = try self.remote(site, clock, timeout: .seconds(3))
        _ = try await remote.keySet()
        switch fault {
        case "garbage": try await site.set("/jwks", body: "{\"keys\": [")
        case "timeout": try await site.serveKeys([keyB], delay: 12)
        case "huge": try await site.set("/jwks", body: String(repeating: " ", count: 1 << 16), repeat: 17)
        default: try await site.set("/jwks", body: #"{"issuer":"x"}"#)
        }
        clock.advance(301)
        let started = ContinuousClock.now
        #expect(try await remote.keySet().keys.map(\.keyID) == ["a"])
        #expect(ContinuousClock.now - started < .seconds(9))
        let error = await remote.status.lastError
        #expect(error?.code == .fetchFailed)
    }

    @Test func rotationReplacesTheWholeSet() async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA])
        let clock = TestClock()
        let remote = try remote(site, clock)
        #expect(try await remote.keySet().keys.map(\.keyID) == ["a"])
        try await site.serveKeys([keyB])
        try await remote.refresh()
        let keys = try await remote.keySet()
        #expect(keys.keys.map(\.keyID) == ["b"])
        let error = #expect(throws: PortcullisError.self) { try keys.resolveKey(keyID: "a", algorithm: .es256) }
        #expect(error?.code == .keyNotFound)
        // An empty set (everything revoked) replaces the keys too.
        try await site.set("/jwks", body: #"{"keys":[]}"#)
        try await remote.refresh()
        #expect(try await remote.keySet().keys.isEmpty)
    }

    @Test func unusableKeysAreSkippedAndReported() async throws {
        let site = MockServer.shared!.site()
        let good = try JSONReader.parseObject(TestKey.jwks([keyA]))["keys"]!.arrayValue!
        let document = JSONValue.object(["keys": .array(good + [
            .object(["kty": .string("XYZ"), "kid": .string("future")]),
            .object(["kty": .string("EC"), "crv": .string("P-256"), "kid": .string("broken"), "x": .string("AAAA"), "y": .string("AAAA")]),
            .object(["kty": .string("RSA"), "use": .string("enc"), "kid": .string("enc"), "n": .string("AQAB"), "e": .string("AQAB")]),
        ])]).serializedString()
        try await site.set("/jwks", body: document)
        let events = EventLog()
        let remote = try remote(site, TestClock(), events: events)
        let keys = try await remote.keySet()
        #expect(keys.keys.map(\.keyID) == ["a"])
        #expect(Set(keys.skipped.compactMap(\.keyID)) == ["future", "broken", "enc"])
        #expect(keys.skipped.filter(\.isWarning).compactMap(\.keyID) == ["broken"])
        guard case .fetched(let count, let skipped, _) = events.all.first else {
            Issue.record("no fetched event")
            return
        }
        #expect(count == 1)
        #expect(skipped.count == 3)
    }

    @Test func refreshAheadRunsUntilCancelled() async throws {
        let site = MockServer.shared!.site()
        try await site.serveKeys([keyA])
        var configuration = RemoteJWKSetConfiguration(
            minimumCacheDuration: 0.3, refreshAheadMargin: 0.1,
            limits: FetchLimits(timeout: .seconds(5), allowsLoopbackHTTP: true))
        configuration.failureRetryInterval = 0.2
        let remote = try RemoteJWKSet(url: URL(string: site.url("/jwks"))!, configuration: configuration)
        let runner = Task { try await remote.run() }
        // Keys live 0.3 s and are refreshed 0.1 s early: a fetch about every 0.2 s.
        let started = ContinuousClock.now
        var hitsWhileRunning = 0
        // Generous wall-clock bounds: the suites share two cores with every other suite.
        while hitsWhileRunning < 3, ContinuousClock.now - started < .seconds(20) {
            try await Task.sleep(for: .milliseconds(50))
            hitsWhileRunning = try await site.hits("/jwks")
        }
        #expect(hitsWhileRunning >= 3)
        // Requests meanwhile never fetch themselves: the keys stay fresh.
        #expect(try await remote.keySet().keys.count == 1)
        // Not a busy loop: within one second at most a handful of refreshes.
        let before = try await site.hits("/jwks")
        try await Task.sleep(for: .seconds(1))
        #expect(try await site.hits("/jwks") - before <= 8)
        runner.cancel()
        let cancelled = ContinuousClock.now
        try await runner.value
        #expect(ContinuousClock.now - cancelled < .seconds(5))
        let hitsAfter = try await site.hits("/jwks")
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await site.hits("/jwks") == hitsAfter)
    }

    @Test func refusesANonHTTPSURL() {
        let error = #expect(throws: PortcullisError.self) {
            try RemoteJWKSet(url: URL(string: "http://keys.example.com/jwks")!)
        }
        #expect(error?.code == .fetchFailed)
    }
}
