import Foundation
import Testing

/// `portcullis decrypt`, `encrypt`, `keygen` for JWE and `verify --decryption-keys`, run as a
/// process (the "Encrypted tokens" contract of DESIGN.md).
@Suite("portcullis decrypt / encrypt", .serialized)
struct EncryptionCommandTests {
    static let now = 1_800_000_000

    /// An encryption key pair made with `keygen`.
    struct Keys {
        let scratch: ScratchDirectory
        let privateSet: String
        let publicSet: String
    }

    static func keys(_ alg: String, _ extra: [String] = [], kid: String = "e1") async throws -> Keys {
        let scratch = try ScratchDirectory()
        let privateJWK = scratch.path("enc.jwk"), publicSet = scratch.path("enc-pub.json")
        let keygen = try await CLI.run(["keygen", "--alg", alg, "--kid", kid, "--private-out", privateJWK, "--public-out", publicSet] + extra)
        guard keygen.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": keygen.stderr]) }
        let jwk = try String(contentsOfFile: privateJWK, encoding: .utf8)
        let privateSet = try scratch.write("enc-private.json", #"{"keys": [\#(jwk)]}"#)
        return Keys(scratch: scratch, privateSet: privateSet, publicSet: publicSet)
    }

    static func encrypt(_ keys: Keys, _ plaintext: String, _ extra: [String] = []) async throws -> String {
        let result = try await CLI.run(["encrypt", "--key", keys.publicSet] + extra + [plaintext])
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": result.stderr]) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func decrypt(_ keys: Keys, _ token: String, _ extra: [String] = []) async throws -> CLIResult {
        try await CLI.run(["decrypt", "--keys", keys.privateSet, "--json"] + extra + [token])
    }

    /// `token` with its protected header rewritten by `change`.
    static func rewritingHeader(_ token: String, _ change: (inout [String: Any]) -> Void) throws -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let data = try #require(Data(base64Encoded: base64))
        var header = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        change(&header)
        parts[0] = try JSONSerialization.data(withJSONObject: header).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return parts.joined(separator: ".")
    }

    @Test("keygen makes use: enc keys for JWE algorithms", arguments: [
        ("RSA-OAEP-256", "RSA"), ("ECDH-ES", "EC"), ("A128KW", "oct"), ("dir", "oct"), ("A256GCMKW", "oct"),
    ])
    func keygen(alg: String, kty: String) async throws {
        let result = try await CLI.run(["keygen", "--alg", alg, "--kid", "e9"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        let privateJWK = try #require(json["private_jwk"] as? [String: Any])
        #expect(privateJWK["use"] as? String == "enc")
        #expect(privateJWK["alg"] as? String == alg)
        #expect(privateJWK["kty"] as? String == kty)
        let published = try #require((json["public_jwks"] as? [String: Any])?["keys"] as? [[String: Any]])
        #expect(published.count == 1)
        #expect(published[0]["use"] as? String == "enc")
        if kty != "oct" { #expect(published[0]["d"] == nil) }
        let x25519 = try await CLI.run(["keygen", "--alg", "ECDH-ES+A128KW", "--curve", "X25519"])
        #expect((x25519.json?["private_jwk"] as? [String: Any])?["crv"] as? String == "X25519")
    }

    @Test("encrypt then decrypt: exit 0 and {valid, header, plaintext}", arguments: [
        ("RSA-OAEP-256", [String]()), ("RSA-OAEP", []), ("ECDH-ES", ["--curve", "X25519"]), ("ECDH-ES+A256KW", ["--curve", "P-521"]),
        ("A128KW", []), ("dir", []), ("A192GCMKW", []),
    ])
    func roundTrip(alg: String, keygenFlags: [String]) async throws {
        let keys = try await Self.keys(alg, keygenFlags)
        for enc in ["A256GCM", "A128CBC-HS256"] {
            // (The 32-byte dir key made for A256GCM is also the size A128CBC-HS256 needs.)
            let token = try await Self.encrypt(keys, "Live long and prosper.", ["--enc", enc])
            let result = try await Self.decrypt(keys, token)
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            let json = try #require(result.json)
            #expect(json["valid"] as? Bool == true)
            #expect(json["plaintext"] as? String == "Live long and prosper.")
            #expect((json["header"] as? [String: Any])?["enc"] as? String == enc)
        }
        let plain = try await CLI.run(["decrypt", "--keys", keys.privateSet, try Self.encrypt(keys, "text", ["--zip"])])
        #expect(plain.status == 0)
        #expect(plain.stdout == "text\n")
    }

    @Test("every unwrap or tag failure is decryption_failed with one message")
    func uniform() async throws {
        let rsa = try await Self.keys("RSA-OAEP-256"), aes = try await Self.keys("A128KW")
        var messages = Set<String>()
        for (keys, index) in [(rsa, 1), (rsa, 3), (rsa, 4), (aes, 1), (aes, 4)] {
            var parts = try await Self.encrypt(keys, "secret").split(separator: ".").map(String.init)
            var segment = Array(parts[index])
            segment[0] = segment[0] == "A" ? "B" : "A"
            parts[index] = String(segment)
            let result = try await Self.decrypt(keys, parts.joined(separator: "."))
            #expect(result.status == 1)
            #expect(result.json?["error"] as? String == "decryption_failed")
            messages.insert(result.json?["message"] as? String ?? "")
        }
        #expect(messages.count == 1)
    }

    @Test("RSA1_5 and PBES2 only when named in --algorithms; p2c above 100000 refused even then")
    func unsafeAlgorithms() async throws {
        let rsa = try await Self.keys("RSA1_5")
        let token = try await Self.encrypt(rsa, "legacy", ["--alg", "RSA1_5"])
        let refused = try await Self.decrypt(rsa, token)
        #expect(refused.status == 1)
        #expect(refused.json?["error"] as? String == "algorithm_not_allowed")
        await #expect(try Self.decrypt(rsa, token, ["--algorithms", "RSA1_5"]).json?["plaintext"] as? String == "legacy")

        let pbes = try await Self.keys("PBES2-HS256+A128KW")
        let pbesToken = try await Self.encrypt(pbes, "pw")
        await #expect(try Self.decrypt(pbes, pbesToken).json?["error"] as? String == "algorithm_not_allowed")
        await #expect(try Self.decrypt(pbes, pbesToken, ["--algorithms", "PBES2-HS256+A128KW"]).status == 0)
        let huge = try Self.rewritingHeader(pbesToken) { $0["p2c"] = 100_001 }
        let hugeResult = try await Self.decrypt(pbes, huge, ["--algorithms", "PBES2-HS256+A128KW"])
        #expect(hugeResult.status == 1)
        #expect(hugeResult.json?["error"] as? String == "malformed")
    }

    @Test("--max-decompressed-size is inclusive; --max-token-size applies")
    func limits() async throws {
        let keys = try await Self.keys("A256KW")
        let token = try await Self.encrypt(keys, String(repeating: "z", count: 5000), ["--zip"])
        await #expect(try Self.decrypt(keys, token, ["--max-decompressed-size", "5000"]).status == 0)
        let over = try await Self.decrypt(keys, token, ["--max-decompressed-size", "4999"])
        #expect(over.status == 1)
        #expect(over.json?["error"] as? String == "token_too_large")
        await #expect(try Self.decrypt(keys, token, ["--max-token-size", "50"]).json?["error"] as? String == "token_too_large")
    }

    @Test("usage errors exit 2")
    func usage() async throws {
        let keys = try await Self.keys("A128KW")
        let token = try await Self.encrypt(keys, "x")
        await #expect(try Self.decrypt(keys, token, ["--algorithms", "none"]).status == 2)
        await #expect(try Self.decrypt(keys, token, ["--algorithms", "A512KW"]).status == 2)
        await #expect(try Self.decrypt(keys, token, ["--encryptions", "A128CTR"]).status == 2)
        #expect(try await CLI.run(["decrypt", "--keys", keys.publicSet.replacingOccurrences(of: "enc-pub", with: "missing"), token]).status == 2)
        let signing = try await CLI.run(["keygen", "--alg", "ES256", "--private-out", keys.scratch.path("sig.jwk"), "--public-out", keys.scratch.path("sig.json")])
        #expect(signing.status == 0)
        let sigSet = try keys.scratch.write("sig-set.json", #"{"keys": [\#(try String(contentsOfFile: keys.scratch.path("sig.jwk"), encoding: .utf8))]}"#)
        #expect(try await CLI.run(["decrypt", "--keys", sigSet, token]).status == 2)
    }

    @Test("non-UTF-8 plaintext is plaintext_b64")
    func binary() async throws {
        let keys = try await Self.keys("A128KW")
        let result = try await CLI.run(["encrypt", "--key", keys.publicSet, "-"], stdin: String(decoding: [0x61], as: UTF8.self))
        await #expect(try Self.decrypt(keys, result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).json?["plaintext"] as? String == "a")
        // Bytes that are not UTF-8 need a file; the test harness pipes text, so write raw bytes.
        let raw = keys.scratch.path("raw.bin")
        #expect(FileManager.default.createFile(atPath: raw, contents: Data([0xFF, 0xFE, 0x00])))
        let shell = try await CLI.capture(URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" encrypt --key \"$1\" - < \"$2\"", CLI.executable.path, keys.publicSet, raw])
        #expect(shell.status == 0, "\(shell.stderr)")
        let json = try await #require(try Self.decrypt(keys, shell.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).json)
        #expect(json["plaintext"] == nil)
        #expect(json["plaintext_b64"] as? String == "__4A")
    }

    @Test("inspect shows a JWE's header, never its content, with warnings")
    func inspect() async throws {
        let keys = try await Self.keys("RSA1_5")
        let token = try await Self.encrypt(keys, "top secret", ["--alg", "RSA1_5", "--zip", "--cty", "JWT"])
        let result = try await CLI.run(["inspect", "--json", token])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        #expect(json["encrypted"] as? Bool == true)
        #expect((json["header"] as? [String: Any])?["alg"] as? String == "RSA1_5")
        let warnings = (json["warnings"] as? [String]) ?? []
        #expect(warnings.count == 3)
        #expect(!result.stdout.contains("top secret"))
        let text = try await CLI.run(["inspect", token])
        #expect(text.stdout.contains("encrypted"))
    }

    @Test("verify --decryption-keys accepts nested JWTs and echoes both headers")
    func nested() async throws {
        let setup = try await VerifyCommandTests.setup()
        let keys = try await Self.keys("RSA-OAEP-256")
        let nestedToken = try await Self.encrypt(keys, setup.token, ["--cty", "JWT"])
        let base = ["verify", "--jwks", setup.jwks, "--now", String(Self.now), "--audience", "api://completions", "--json"]
        let accepted = try await CLI.run(base + ["--decryption-keys", keys.privateSet, nestedToken])
        #expect(accepted.status == 0, "\(accepted.stdout) \(accepted.stderr)")
        let json = try #require(accepted.json)
        #expect((json["header"] as? [String: Any])?["alg"] as? String == "ES256")
        #expect((json["outer_header"] as? [String: Any])?["alg"] as? String == "RSA-OAEP-256")
        #expect((json["claims"] as? [String: Any])?["sub"] as? String == "alice")

        let withoutKeys = try await CLI.run(base + [nestedToken])
        #expect(withoutKeys.status == 1)
        #expect(withoutKeys.json?["error"] as? String == "malformed")

        #expect(try await CLI.run(base + ["--decryption-keys", keys.privateSet, setup.token]).status == 0)
        let required = try await CLI.run(base + ["--decryption-keys", keys.privateSet, "--require-encryption", setup.token])
        #expect(required.status == 1)
        #expect(required.json?["error"] as? String == "malformed")
        #expect(try await CLI.run(base + ["--require-encryption", setup.token]).status == 2)
        #expect(try await CLI.run(base + ["--decryption-keys", keys.privateSet, "--algorithms", "RSA1_5", nestedToken]).status == 2)
        let restricted = try await CLI.run(base + ["--decryption-keys", keys.privateSet, "--algorithms", "ECDH-ES", nestedToken])
        #expect(restricted.json?["error"] as? String == "algorithm_not_allowed")

        let legacy = try await Self.keys("RSA1_5")
        let legacyToken = try await Self.encrypt(legacy, setup.token, ["--cty", "JWT", "--alg", "RSA1_5"])
        let legacyResult = try await CLI.run(base + ["--decryption-keys", legacy.privateSet, legacyToken])
        #expect(legacyResult.status == 1)
        #expect(legacyResult.json?["error"] as? String == "algorithm_not_allowed")
    }
}
