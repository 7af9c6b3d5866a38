import Foundation
import PortcullisTesting
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// Cross-checks with two independent implementations, Python's `joserfc` and `pyjwt`, through
/// `Tests/Interop/interop.py`. `scripts/test.sh` (the README's test command) creates the virtual
/// environment and sets `PORTCULLIS_INTEROP_PYTHON`.
@Suite(
    "Interop with joserfc and pyjwt",
    .enabled(if: InteropHarness.python != nil, "PORTCULLIS_INTEROP_PYTHON is not set: run scripts/test.sh for interop tests"))
struct InteropTests {
    static let now: Int64 = 1_800_000_000

    @Test("tokens minted by joserfc and pyjwt verify in Portcullis, for every algorithm")
    func pythonMints() async throws {
        let document = try await InteropHarness.mint(now: Self.now)
        let cases = try #require(document["cases"] as? [[String: Any]])
        var verified: Set<String> = []
        for entry in cases {
            let name = entry["name"] as? String ?? "?"
            let alg = try #require(JWSAlgorithm(name: entry["alg"] as? String ?? ""))
            let jwks = try JSONSerialization.data(withJSONObject: try #require(entry["jwks"]))
            let keys = try KeySet(jwksJSON: [UInt8](jwks))
            #expect(keys.skipped.isEmpty, "\(name): \(keys.skipped)")
            var configuration = VerifierConfiguration(
                algorithms: [alg], issuers: [document["issuer"] as? String ?? ""], audiences: [document["audience"] as? String ?? ""])
            let now = Double(Self.now)
            configuration.clock = { NumericDate(now) }
            let verifier = JWTVerifier(keys: keys, configuration: configuration)
            let token = try #require(entry["token"] as? String)
            let expectation = entry["expect"] as? String
            do {
                let result = try verifier.verify(token)
                #expect(expectation == "valid", "\(name): accepted, expected \(expectation ?? "")")
                let claims = try #require(entry["claims"] as? [String: Any])
                let ours = try JSONSerialization.jsonObject(with: Data(JSONValue.object(result.claims.json).serializedBytes())) as? NSDictionary
                #expect(ours == claims as NSDictionary, "\(name): claims differ")
                verified.insert("\(entry["library"] ?? "")/\(alg.name)/\(entry["crv"] ?? "")")
            } catch {
                #expect((error as? PortcullisError)?.code.rawValue == expectation, "\(name): \(error)")
            }
        }
        // Both libraries, all 13 algorithms (EdDSA on both curves): 28 accepted combinations.
        #expect(verified.count == 28, "\(verified.sorted())")
        #expect((document["gaps"] as? [Any])?.isEmpty == true)
    }

    @Test("tokens Portcullis mints verify in joserfc and pyjwt, for every algorithm")
    func portcullisMints() async throws {
        var cases: [[String: Any]] = []
        let specs: [(JWSAlgorithm, KeySpec?)] = JWSAlgorithm.all.map { ($0, nil) } + [(.eddsa, .okp(.ed448))]
        for (algorithm, spec) in specs {
            let key = try spec.map(CryptoKey.generate) ?? CryptoKey.generate(for: algorithm)
            let kid = "portcullis-\(algorithm.name.lowercased())-\(key.curve?.name ?? "\(key.bitCount)")"
            var claims = Fixture.standardClaims(now: Double(Self.now))
            claims["tenant"] = .string("t123")
            let token = try JWTSigner(key: key, algorithm: algorithm, keyID: kid).sign(claims, type: "at+jwt")
            var jwk = try algorithm.family == .hmac ? key.jwk(includingPrivate: true) : key.publicKey.jwk()
            jwk.keyID = kid
            jwk.algorithm = algorithm.name
            jwk.use = "sig"
            let jwks = JSONValue.object(["keys": .array([.object(jwk.jsonObject(includingPrivate: algorithm.family == .hmac))])])
            cases.append([
                "name": "portcullis \(algorithm.name) \(key.curve?.name ?? "")",
                "alg": algorithm.name,
                "jwks": try JSONSerialization.jsonObject(with: Data(jwks.serializedBytes())),
                "token": token,
                "claims": try JSONSerialization.jsonObject(with: Data(JSONValue.object(claims).serializedBytes())),
                "issuer": Fixture.issuer, "audience": Fixture.audience, "now": Self.now,
                "expect": "valid",
            ])
            // A token signed by another key of the same type must be refused by both.
            let impostor = try spec.map(CryptoKey.generate) ?? CryptoKey.generate(for: algorithm)
            cases.append(cases[cases.count - 1].merging([
                "name": "portcullis \(algorithm.name) impostor", "expect": "invalid_signature",
                "token": try JWTSigner(key: impostor, algorithm: algorithm, keyID: kid).sign(claims, type: "at+jwt"),
            ]) { $1 })
        }
        let summary = try await InteropHarness.verify(cases: cases, now: Self.now)
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.json?["failed"] as? Int == 0)
        #expect(summary.json?["passed"] as? Int == cases.count * 2)
    }
}

/// Runs `Tests/Interop/interop.py` with the interop virtual environment's Python.
enum InteropHarness {
    static let python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"]
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/interop.py").path

    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any] }
    }

    static func run(_ arguments: [String]) async throws -> Result {
        let output = try await TestProcess.run(URL(fileURLWithPath: try #require(python)), [script] + arguments)
        return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }

    static func mint(now: Int64) async throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-mint-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await run(["mint", "--out", file.path, "--now", String(now)])
        guard result.status == 0 else { throw InteropFailure(message: result.stderr) }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
    }

    static func verify(cases: [[String: Any]], now: Int64) async throws -> Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-verify-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: ["now": now, "cases": cases]).write(to: file)
        return try await run(["verify", "--in", file.path, "--now", String(now)])
    }

    struct InteropFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
