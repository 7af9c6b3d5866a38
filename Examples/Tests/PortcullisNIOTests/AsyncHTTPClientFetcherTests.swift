import AsyncHTTPClient
import Foundation
import PortcullisTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PortcullisJOSE
import PortcullisJWT
import PortcullisOIDC
import PortcullisOIDCAsyncHTTPClient
import Testing

/// `AsyncHTTPClientDocumentFetcher` against the controllable server of the root package's
/// `Tests/PortcullisOIDCTests/Support/mock_server.py` on 127.0.0.1.
@Suite("AsyncHTTPClientDocumentFetcher over real HTTP", .serialized, .enabled(if: AHCMockServer.shared != nil, "needs python3 for the local HTTP server"))
struct AsyncHTTPClientFetcherTests {
    static let limits = FetchLimits(timeout: .seconds(5), maximumBodySize: 4096, allowsLoopbackHTTP: true)

    /// Runs `body` with a fetcher on a fresh client with the recommended configuration.
    func withFetcher(_ body: (AsyncHTTPClientDocumentFetcher, AHCMockServer.Site) async throws -> Void) async throws {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: AsyncHTTPClientDocumentFetcher.recommendedConfiguration)
        do {
            try await body(AsyncHTTPClientDocumentFetcher(client: client), AHCMockServer.shared!.site())
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test func fetchesBodyStatusAndCacheHeaders() async throws {
        try await withFetcher { fetcher, site in
            try await site.set("/doc", body: #"{"a":1}"#, headers: ["Cache-Control": "max-age=600", "Age": "100"])
            let document = try await fetcher.fetch(site.url("/doc"), limits: Self.limits)
            #expect(document.status == 200)
            #expect(document.body == Array(#"{"a":1}"#.utf8))
            #expect(document.freshnessLifetime == 500)
        }
    }

    @Test func neverFollowsRedirects() async throws {
        try await withFetcher { fetcher, site in
            try await site.set("/target", body: "{}")
            try await site.set("/moved", status: 302, headers: ["Location": site.url("/target").absoluteString])
            let document = try await fetcher.fetch(site.url("/moved"), limits: Self.limits)
            #expect(document.status == 302)
            #expect(try await site.hits("/target") == 0)
        }
    }

    @Test func timesOut() async throws {
        try await withFetcher { fetcher, site in
            // The server answers after 12 s; the 0.3 s deadline must end the fetch long before
            // (bounds are loose because CI shares two cores).
            try await site.set("/slow", body: "{}", delay: 12)
            var limits = Self.limits
            limits.timeout = .milliseconds(300)
            let started = ContinuousClock.now
            let error = await #expect(throws: PortcullisError.self) { try await fetcher.fetch(site.url("/slow"), limits: limits) }
            #expect(error?.code == .fetchFailed)
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }

    @Test(arguments: [false, true])
    func refusesOversizedBodies(streamed: Bool) async throws {
        try await withFetcher { fetcher, site in
            try await site.set("/big", body: String(repeating: "x", count: 1024), repeat: 1024, noLength: streamed)
            let error = await #expect(throws: PortcullisError.self) { try await fetcher.fetch(site.url("/big"), limits: Self.limits) }
            #expect(error?.code == .fetchFailed)
            #expect(error?.message.contains("4096") == true)
        }
    }

    @Test func refusesPlainHTTPOffLoopback() async throws {
        try await withFetcher { fetcher, _ in
            let error = await #expect(throws: PortcullisError.self) {
                try await fetcher.fetch(URL(string: "http://example.com/jwks")!, limits: Self.limits)
            }
            #expect(error?.code == .fetchFailed)
        }
    }

    @Test func feedsARemoteJWKSet() async throws {
        try await withFetcher { fetcher, site in
            let jwks = #"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#
            try await site.set("/jwks", body: jwks)
            let remote = try RemoteJWKSet(
                url: site.url("/jwks"), configuration: RemoteJWKSetConfiguration(limits: Self.limits), fetcher: fetcher)
            #expect(try await remote.keySet().keys.map(\.keyID) == ["k"])
            #expect(try await site.hits("/jwks") == 1)
        }
    }
}

/// The root package's controllable python server, started once per test process; it exits when
/// this process ends (end of file on its standard input).
final class AHCMockServer: Sendable {
    static let shared: AHCMockServer? = try? AHCMockServer()
    let port: Int
    private let process: Process
    private let stdin: Pipe

    private init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Tests/PortcullisOIDCTests/Support/mock_server.py")
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-ahc-\(UUID().uuidString).port")
        let process = Process(), stdin = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, portFile.path]
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try TestProcess.launch(process)
        var port: Int?
        for _ in 0..<400 where port == nil {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.025) }
        }
        try? FileManager.default.removeItem(at: portFile)
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown)
        }
        (self.port, self.process, self.stdin) = (port, process, stdin)
    }

    func site() -> Site { Site(origin: "http://127.0.0.1:\(port)", prefix: "/" + UUID().uuidString.lowercased()) }

    /// One test's corner of the server.
    struct Site: Sendable {
        let origin: String
        let prefix: String

        func url(_ path: String) -> URL { URL(string: origin + prefix + path)! }

        func set(
            _ path: String, status: Int = 200, body: String = "", repeat count: Int = 1,
            headers: [String: String] = [:], delay: Double = 0, noLength: Bool = false
        ) async throws {
            let spec: [String: Any] = [
                "path": prefix + path, "status": status, "body": body, "repeat": count, "headers": headers,
                "delay": delay, "no_length": noLength,
            ]
            var request = URLRequest(url: URL(string: origin + "/_control/set")!)
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: spec)
            _ = try await URLSession.shared.data(for: request)
        }

        func hits(_ path: String) async throws -> Int {
            let query = (prefix + path).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
            let (data, _) = try await URLSession.shared.data(from: URL(string: origin + "/_control/hits?path=\(query)")!)
            return ((try JSONSerialization.jsonObject(with: data)) as? [String: Any])?["hits"] as? Int ?? -1
        }
    }
}
