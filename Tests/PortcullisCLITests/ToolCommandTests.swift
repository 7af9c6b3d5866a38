import Foundation
import Testing

/// `inspect`, `sign`, `keygen` and `jwks`.
@Suite("portcullis tools", .serialized)
struct ToolCommandTests {
    @Test("keygen prints a private JWK and its public set", arguments: ["HS256", "RS256", "PS512", "ES384", "EdDSA"])
    func keygen(alg: String) async throws {
        let result = try await CLI.run(["keygen", "--alg", alg, "--kid", "k9"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        let privateJWK = try #require(json["private_jwk"] as? [String: Any])
        #expect(privateJWK["kid"] as? String == "k9")
        #expect(privateJWK["alg"] as? String == alg)
        let keys = try #require((json["public_jwks"] as? [String: Any])?["keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        if alg != "HS256" { #expect(keys[0]["d"] == nil) }
    }

    @Test("keygen refuses unknown algorithms and none", arguments: ["none", "XS256", "RSA-OAEP-512"])
    func keygenRefuses(alg: String) async throws {
        #expect(try await CLI.run(["keygen", "--alg", alg]).status == 2)
    }

    @Test("jwks publishes the public halves of PEM and JWK private keys")
    func jwks() async throws {
        let scratch = try ScratchDirectory()
        let pem = scratch.path("key.pem")
        let openssl = try await CLI.capture(URL(fileURLWithPath: "/usr/bin/openssl"), ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", pem])
        #expect(openssl.status == 0)
        _ = try await CLI.run(["keygen", "--alg", "EdDSA", "--kid", "ed", "--private-out", scratch.path("ed.jwk"), "--public-out", scratch.path("ed-pub.json")])
        let result = try await CLI.run(["jwks", pem, scratch.path("ed.jwk")])
        #expect(result.status == 0, "\(result.stderr)")
        let keys = try #require(result.json?["keys"] as? [[String: Any]])
        #expect(keys.map { $0["kty"] as? String } == ["EC", "OKP"])
        #expect(keys.map { $0["alg"] as? String } == ["ES384", "EdDSA"])
        #expect(keys.allSatisfy { $0["d"] == nil && $0["use"] as? String == "sig" })
        #expect(keys[1]["kid"] as? String == "ed")
        #expect((keys[0]["kid"] as? String)?.count == 43)
    }

    @Test("sign takes claims from JSON and from options; inspect shows them with warnings")
    func signAndInspect() async throws {
        let scratch = try ScratchDirectory()
        _ = try await CLI.run(["keygen", "--alg", "HS256", "--kid", "h", "--private-out", scratch.path("k.jwk"), "--public-out", scratch.path("p.json")])
        let sign = try await CLI.run(["sign", "--key", scratch.path("k.jwk"), "--claims", #"{"tenant":"t1","exp":1800090000,"iat":1800000000}"#, "--subject", "bob"])
        #expect(sign.status == 0, "\(sign.stderr)")
        let token = sign.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inspect = try await CLI.run(["inspect", "--json", "--now", "1800000600", token])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let json = try #require(inspect.json)
        #expect((json["claims"] as? [String: Any])?["tenant"] as? String == "t1")
        #expect((json["claims"] as? [String: Any])?["sub"] as? String == "bob")
        let warnings = try #require(json["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("HMAC") })
        #expect(warnings.contains { $0.contains("lifetime") })
        #expect(warnings.contains { $0.contains("aud") })
        let times = try #require(json["times"] as? [String: String])
        #expect(times["exp"]?.contains("expires in 1 days") == true || times["exp"]?.contains("expires in 24 h") == true)

        let human = try await CLI.run(["inspect", "--now", "1800090600", token])
        #expect(human.stdout.contains("expired 10 min ago"))
        #expect(human.stdout.contains("NOT verified"))
    }

    @Test("inspect warns about unsecured tokens and key-bearing headers")
    func inspectRisks() async throws {
        let header = Data(#"{"alg":"none","jku":"https://evil.example/k"}"#.utf8).base64URL
        let payload = Data(#"{"sub":"x"}"#.utf8).base64URL
        let result = try await CLI.run(["inspect", "--json", "\(header).\(payload)."])
        let warnings = try #require(result.json?["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("unsecured") })
        #expect(warnings.contains { $0.contains("jku") })
        #expect(warnings.contains { $0.contains("exp") })
    }

    @Test("inspect refuses what is not a token")
    func inspectGarbage() async throws {
        let result = try await CLI.run(["inspect", "a.b"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("malformed"))
    }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
