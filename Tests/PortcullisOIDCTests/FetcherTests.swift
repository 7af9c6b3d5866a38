import Foundation
import PortcullisJOSE
import Testing
@testable import PortcullisOIDC

@Suite("URLSessionDocumentFetcher over real HTTP", .enabled(if: mockServerAvailable, "needs python3 for the local HTTP server"))
struct FetcherTests {
    let fetcher = URLSessionDocumentFetcher()
    /// Generous for ordinary fetches (the machine may be busy); the timeout test sets its own.
    let limits = FetchLimits(timeout: .seconds(5), maximumBodySize: 4096, allowsLoopbackHTTP: true)

    @Test func fetchesBodyStatusAndCacheHeaders() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/doc", body: "{\"a\":1}", headers: ["Cache-Control": "public, max-age=600", "Age": "100"])
        let document = try await fetcher.fetch(URL(string: site.url("/doc"))!, limits: limits)
        #expect(document.status == 200)
        #expect(document.body == Array("{\"a\":1}".utf8))
        #expect(document.cacheControl == "public, max-age=600")
        #expect(document.freshnessLifetime == 500)
    }

    @Test func returnsErrorStatusesForTheCallerToJudge() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/doc", status: 500, body: "oops")
        let document = try await fetcher.fetch(URL(string: site.url("/doc"))!, limits: limits)
        #expect(document.status == 500)
        let error = #expect(throws: PortcullisError.self) { try document.requireOK() }
        #expect(error?.code == .fetchFailed)
    }

    @Test func timesOutOnASlowServer() async throws {
        let site = MockServer.shared!.site()
        // The server answers after 12 s; the 0.3 s deadline must end the fetch long before
        // (bounds are loose because CI shares two cores).
        try await site.set("/slow", body: "{}", delay: 12)
        var short = limits
        short.timeout = .milliseconds(300)
        let start = ContinuousClock.now
        let error = await #expect(throws: PortcullisError.self) {
            try await fetcher.fetch(URL(string: site.url("/slow"))!, limits: short)
        }
        #expect(error?.code == .fetchFailed)
        #expect(error?.message.contains("did not answer within 0.3 s") == true)
        #expect(ContinuousClock.now - start < .seconds(8))
    }

    @Test(arguments: [false, true])
    func refusesOversizedBodies(streamed: Bool) async throws {
        let site = MockServer.shared!.site()
        // 1 MiB: with Content-Length it is refused when the headers arrive; without, while streaming.
        try await site.set("/big", body: String(repeating: "x", count: 1024), repeat: 1024, noLength: streamed)
        let error = await #expect(throws: PortcullisError.self) {
            try await fetcher.fetch(URL(string: site.url("/big"))!, limits: limits)
        }
        #expect(error?.code == .fetchFailed)
        #expect(error?.message.contains("4096") == true)
    }

    @Test func acceptsABodyOfExactlyTheLimit() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/edge", body: String(repeating: "y", count: 4096), noLength: true)
        let document = try await fetcher.fetch(URL(string: site.url("/edge"))!, limits: limits)
        #expect(document.body.count == 4096)
    }

    @Test func neverFollowsRedirects() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/target", body: "{}")
        try await site.set("/moved", status: 302, headers: ["Location": site.url("/target")])
        let document = try await fetcher.fetch(URL(string: site.url("/moved"))!, limits: limits)
        #expect(document.status == 302)
        #expect(throws: PortcullisError.self) { try document.requireOK() }
        #expect(try await site.hits("/target") == 0)
    }

    @Test(arguments: ["http://example.com/jwks", "ftp://127.0.0.1/jwks", "file:///etc/passwd", "http://127.0.0.2.example.com/x"])
    func refusesNonHTTPSURLs(_ location: String) async throws {
        let error = await #expect(throws: PortcullisError.self) {
            try await fetcher.fetch(URL(string: location)!, limits: limits)
        }
        #expect(error?.code == .fetchFailed)
    }

    @Test func loopbackHTTPNeedsDevelopmentMode() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/doc", body: "{}")
        let error = await #expect(throws: PortcullisError.self) {
            try await fetcher.fetch(URL(string: site.url("/doc"))!, limits: FetchLimits())
        }
        #expect(error?.code == .fetchFailed)
        #expect(try await site.hits("/doc") == 0)
    }
}

@Suite("Cache-Control and URL rules")
struct CacheControlTests {
    @Test(arguments: [
        ("max-age=60", nil, 60), ("public, max-age=3600, must-revalidate", nil, 3600), ("max-age=\"90\"", nil, 90),
        ("no-store", nil, 0), ("max-age=600, no-cache", nil, 0), ("max-age=60", 100, 0), ("max-age=600", 100, 500),
        ("max-age=99999999999999999999999", nil, Int.max),
    ] as [(String, Int?, Int)])
    func freshnessLifetime(_ header: String, age: Int?, expected: Int) {
        let document = FetchedDocument(url: URL(string: "https://a.example")!, status: 200, body: [], cacheControl: header, age: age)
        #expect(document.freshnessLifetime == expected)
    }

    @Test(arguments: [nil, "public", "max-age=", "max-age=-5", "max-age=1e3", "max-age=ten"] as [String?])
    func noUsableLifetime(_ header: String?) {
        let document = FetchedDocument(url: URL(string: "https://a.example")!, status: 200, body: [], cacheControl: header)
        #expect(document.freshnessLifetime == nil)
    }

    @Test(arguments: ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "LOCALHOST"])
    func loopbackHosts(_ host: String) { #expect(RemoteURLRule.isLoopback(host)) }

    @Test(arguments: ["127.0.0.1.evil.example", "128.0.0.1", "localhost.example", "127.0.0", "0x7f.0.0.1", "10.0.0.1"])
    func notLoopbackHosts(_ host: String) { #expect(!RemoteURLRule.isLoopback(host)) }
}
