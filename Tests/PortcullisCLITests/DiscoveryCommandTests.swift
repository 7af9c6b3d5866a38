import Foundation
import Testing

/// `portcullis verify --issuer URL` without `--jwks`: keys through PortcullisOIDC discovery.
@Suite("portcullis verify with discovery", .serialized)
struct DiscoveryCommandTests {
    static let now = 1_800_000_000

    /// A loopback issuer serving `document` as its discovery document and the key set at /jwks.json,
    /// plus a token it issued.
    func serve(_ document: (String) -> String) async throws -> (server: StaticHTTPServer, issuer: String, token: String, scratch: ScratchDirectory) {
        let scratch = try ScratchDirectory()
        let key = scratch.path("key.jwk")
        let keygen = try await CLI.run(["keygen", "--alg", "ES256", "--kid", "k1", "--private-out", key, "--public-out", scratch.path("jwks.json")])
        guard keygen.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        let server = try StaticHTTPServer(directory: scratch.url)
        let issuer = server.baseURL
        let wellKnown = scratch.url.appendingPathComponent(".well-known")
        try FileManager.default.createDirectory(at: wellKnown, withIntermediateDirectories: true)
        try document(issuer).write(to: wellKnown.appendingPathComponent("openid-configuration"), atomically: true, encoding: .utf8)
        let sign = try await CLI.run([
            "sign", "--key", key, "--issuer", issuer, "--subject", "alice", "--audience", "api",
            "--now", String(Self.now), "--expires-in", "600",
        ])
        guard sign.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (server, issuer, sign.stdout.trimmingCharacters(in: .whitespacesAndNewlines), scratch)
    }

    @Test func acceptsATokenWithDiscoveredKeys() async throws {
        let setup = try await serve { #"{"issuer":"\#($0)","jwks_uri":"\#($0)/jwks.json","id_token_signing_alg_values_supported":["ES256"]}"# }
        let result = try await CLI.run(["verify", "--issuer", setup.issuer, "--audience", "api", "--now", String(Self.now), "--json", setup.token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.json?["valid"] as? Bool == true)
    }

    @Test func refusesADocumentNamingAnotherIssuer() async throws {
        let setup = try await serve { #"{"issuer":"\#($0)/","jwks_uri":"\#($0)/jwks.json"}"# }
        let result = try await CLI.run(["verify", "--issuer", setup.issuer, "--audience", "api", "--now", String(Self.now), "--json", setup.token])
        #expect(result.status == 2)
        #expect(result.stderr.contains("§4.3"))
        #expect(result.json?["error"] as? String == "configuration_error")
    }

    @Test func refusesAPlainHTTPKeySetOnAnotherHost() async throws {
        let setup = try await serve { #"{"issuer":"\#($0)","jwks_uri":"http://192.0.2.1/jwks.json"}"# }
        let result = try await CLI.run(["verify", "--issuer", setup.issuer, "--now", String(Self.now), setup.token])
        #expect(result.status == 2)
        #expect(result.stderr.contains("https"))
    }
}
