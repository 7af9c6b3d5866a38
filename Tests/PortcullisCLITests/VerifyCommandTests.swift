import Foundation
import Testing

/// `portcullis verify`, run as a process: exit codes, `--json` shape, reason codes, stdin.
@Suite("portcullis verify", .serialized)
struct VerifyCommandTests {
    static let now = 1_800_000_000

    /// A key pair and a token made with the CLI itself.
    struct Setup {
        let scratch: ScratchDirectory
        let privateKey: String
        let jwks: String
        let token: String
    }

    static func setup(alg: String = "ES256", extra: [String] = []) async throws -> Setup {
        let scratch = try ScratchDirectory()
        let privateKey = scratch.path("key.jwk"), jwks = scratch.path("jwks.json")
        let keygen = try await CLI.run(["keygen", "--alg", alg, "--kid", "k1", "--private-out", privateKey, "--public-out", jwks])
        guard keygen.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": keygen.stderr]) }
        let sign = try await CLI.run([
            "sign", "--key", privateKey, "--issuer", "https://issuer.example", "--subject", "alice",
            "--audience", "api://completions", "--scope", "completions", "--now", String(now), "--expires-in", "600",
            "--type", "at+jwt",
        ] + extra)
        guard sign.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": sign.stderr]) }
        return Setup(scratch: scratch, privateKey: privateKey, jwks: jwks, token: sign.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func verify(_ setup: Setup, _ extra: [String], token: String? = nil, stdin: String? = nil) async throws -> CLIResult {
        try await CLI.run(["verify", "--jwks", setup.jwks, "--now", String(Self.now)] + extra + [token ?? setup.token], stdin: stdin)
    }

    @Test("accepted: exit 0 and {valid, header, claims}", arguments: ["HS256", "RS256", "PS384", "ES256", "ES512", "EdDSA"])
    func accepted(alg: String) async throws {
        let setup = try await Self.setup(alg: alg)
        let result = try await verify(setup, ["--issuer", "https://issuer.example", "--audience", "api://completions", "--scope", "completions", "--type", "at+jwt", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        #expect(json["valid"] as? Bool == true)
        #expect((json["header"] as? [String: Any])?["alg"] as? String == alg)
        #expect((json["claims"] as? [String: Any])?["sub"] as? String == "alice")
        #expect(json.count == 3)
    }

    @Test("rejections: exit 1 and {valid: false, error, message}", arguments: [
        (["--audience", "api://other"], "invalid_audience"),
        ([], "invalid_audience"),
        (["--audience", "api://completions", "--issuer", "https://other.example"], "invalid_issuer"),
        (["--audience", "api://completions", "--scope", "completions:premium"], "insufficient_scope"),
        (["--audience", "api://completions", "--algorithms", "RS256"], "algorithm_not_allowed"),
        (["--audience", "api://completions", "--type", "JWT"], "invalid_type"),
        (["--audience", "api://completions", "--max-token-size", "100"], "token_too_large"),
    ])
    func rejected(flags: [String], code: String) async throws {
        let setup = try await Self.setup()
        let result = try await verify(setup, flags + ["--json"])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let json = try #require(result.json)
        #expect(json["valid"] as? Bool == false)
        #expect(json["error"] as? String == code)
        #expect((json["message"] as? String)?.isEmpty == false)
    }

    @Test("the audience message says which audience to pass")
    func audienceHint() async throws {
        let setup = try await Self.setup()
        let result = try await verify(setup, ["--json"])
        #expect((result.json?["message"] as? String)?.contains("api://completions") == true)
    }

    @Test("time: expired at exp + leeway, accepted just before")
    func time() async throws {
        let setup = try await Self.setup()
        let exp = Self.now + 600
        var result = try await CLI.run(["verify", "--jwks", setup.jwks, "--audience", "api://completions", "--json", "--now", String(exp + 60), setup.token])
        #expect(result.json?["error"] as? String == "expired")
        result = try await CLI.run(["verify", "--jwks", setup.jwks, "--audience", "api://completions", "--json", "--now", "\(exp + 59).5", setup.token])
        #expect(result.status == 0)
        result = try await CLI.run(["verify", "--jwks", setup.jwks, "--audience", "api://completions", "--json", "--leeway", "0", "--now", String(exp), setup.token])
        #expect(result.json?["error"] as? String == "expired")
    }

    @Test("the token can come from standard input")
    func standardInput() async throws {
        let setup = try await Self.setup()
        let result = try await verify(setup, ["--audience", "api://completions", "--json"], token: "-", stdin: "\n  \(setup.token)\n\n")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("usage and configuration errors exit 2", arguments: [
        ["--bogus-flag"], ["--algorithms", "none"], ["--algorithms", "ES256,XS1"], ["--leeway", "-1"],
        ["--now", "soon"], ["--now", "nan"], ["--max-token-size", "0"],
    ])
    func usage(flags: [String]) async throws {
        let setup = try await Self.setup()
        let result = try await verify(setup, flags)
        #expect(result.status == 2, "\(flags): \(result.stdout) \(result.stderr)")
    }

    @Test("a bad JWK Set is exit 2; unusable keys are skipped with a warning")
    func badKeySets() async throws {
        let setup = try await Self.setup()
        let notASet = try setup.scratch.write("bad.json", #"{"kty":"EC"}"#)
        var result = try await CLI.run(["verify", "--jwks", notASet, setup.token])
        #expect(result.status == 2)
        let onlyWeak = try setup.scratch.write("weak.json", #"{"keys":[{"kty":"oct","k":"AAEC","kid":"w"}]}"#)
        result = try await CLI.run(["verify", "--jwks", onlyWeak, setup.token])
        #expect(result.status == 2)
        #expect(result.stderr.contains("warning"))
        result = try await CLI.run(["verify", "--jwks", setup.scratch.path("missing.json"), setup.token])
        #expect(result.status == 2)
        result = try await CLI.run(["verify", setup.token])
        #expect(result.status == 2)
    }

    @Test("a malformed token is exit 1 with malformed", arguments: ["not-a-token", "a.b.c", "a.b.c.d.e"])
    func malformed(token: String) async throws {
        let setup = try await Self.setup()
        let result = try await verify(setup, ["--json"], token: token)
        #expect(result.status == 1)
        #expect(result.json?["error"] as? String == "malformed")
    }

    @Test("keys from a JWK Set URL and from OpenID Connect discovery on a loopback server")
    func remoteKeys() async throws {
        let setup = try await Self.setup()
        let server = try StaticHTTPServer(directory: setup.scratch.url)
        let issuer = server.baseURL
        let wellKnown = setup.scratch.url.appendingPathComponent(".well-known")
        try FileManager.default.createDirectory(at: wellKnown, withIntermediateDirectories: true)
        try #"{"issuer":"\#(issuer)","jwks_uri":"\#(issuer)/jwks.json"}"#
            .write(to: wellKnown.appendingPathComponent("openid-configuration"), atomically: true, encoding: .utf8)
        var result = try await CLI.run(["verify", "--jwks", "\(issuer)/jwks.json", "--audience", "api://completions", "--now", String(Self.now), "--json", setup.token])
        #expect(result.status == 0, "\(result.stderr)")

        // The token's issuer is https://issuer.example, so discovery at the loopback issuer finds
        // the keys and then refuses the issuer.
        result = try await CLI.run(["verify", "--issuer", issuer, "--audience", "api://completions", "--now", String(Self.now), "--json", setup.token])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.json?["error"] as? String == "invalid_issuer")

        result = try await CLI.run(["verify", "--jwks", "http://192.0.2.1/jwks.json", setup.token])
        #expect(result.status == 2)
        #expect(result.stderr.contains("https"))
    }
}
