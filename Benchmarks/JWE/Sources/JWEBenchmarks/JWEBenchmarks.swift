import Foundation
import Portcullis

/// Nested-JWT throughput (decrypt the JWE, verify the inner ES256 JWS, validate the claims) of
/// Portcullis's `NestedJWTVerifier`, beside joserfc and jwcrypto on the same tokens and keys.
///
/// `swift run -c release --package-path Benchmarks/JWE JWEBenchmarks [--seconds S] [--python PATH]`;
/// the Python interpreter defaults to `$PORTCULLIS_INTEROP_PYTHON`, then `.venv-interop/bin/python`.
/// `--timing` (after `--seconds`) prints the refused-decryption timings of ``OracleTiming`` instead.
@main
struct JWEBenchmarks {
    struct Case {
        let name: String
        let algorithm: JWEAlgorithm
        let encryption: JWEEncryption
        let key: EncryptionKey
    }

    static func main() throws {
        var seconds = 2.0
        var python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"]
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--seconds": seconds = arguments.next().flatMap(Double.init) ?? seconds
            case "--python": python = arguments.next()
            case "--timing":
                try OracleTiming.run(seconds: seconds)
                return
            default:
                FileHandle.standardError.write(Data("usage: JWEBenchmarks [--seconds S] [--python PATH] [--timing]\n".utf8))
                exit(2)
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let interpreter = python ?? root.appendingPathComponent(".venv-interop/bin/python").path

        let signingKey = try CryptoKey.generate(.ec(.p256))
        let now = Date().timeIntervalSince1970
        let inner = try JWTSigner(key: signingKey, algorithm: .es256, keyID: "sig-1").sign([
            "iss": .string("https://issuer.example"), "sub": .string("user-42"), "aud": .string("api://completions"),
            "exp": .number(JSONNumber(Int(now) + 3600)), "iat": .number(JSONNumber(Int(now))),
            "scope": .string("completions completions:premium"), "tenant": .string("t123"), "email": .string("a@example.com"),
        ], type: "JWT")
        var rules = VerifierConfiguration(algorithms: [.es256], issuers: ["https://issuer.example"], audiences: ["api://completions"])
        rules.clock = { NumericDate(now) }
        let verifier = JWTVerifier(keys: KeySet([VerificationKey(signingKey.publicKey, keyID: "sig-1")]), configuration: rules)

        let cases = [
            Case(name: "RSA-OAEP-256 + A256GCM", algorithm: .rsaOAEP256, encryption: .a256GCM, key: try EncryptionKey.generate(.rsa(bits: 2048))),
            Case(name: "ECDH-ES (P-256) + A128GCM", algorithm: .ecdhES, encryption: .a128GCM, key: try EncryptionKey.generate(.agreement(.p256))),
            Case(name: "ECDH-ES (X25519) + A128GCM", algorithm: .ecdhES, encryption: .a128GCM, key: try EncryptionKey.generate(.agreement(.x25519))),
        ]
        var pythonCases: [[String: Any]] = []
        var ours: [String: Double] = [:]
        for benchmark in cases {
            let token = try JWEEncrypter(key: benchmark.key.publicKey, keyID: "enc-1", algorithm: benchmark.algorithm, encryption: benchmark.encryption)
                .encrypt(Array(inner.utf8), contentType: "JWT")
            let nested = NestedJWTVerifier(
                decrypter: JWEDecrypter(keys: DecryptionKeySet([DecryptionKey(benchmark.key, keyID: "enc-1", algorithm: benchmark.algorithm)])),
                verifier: verifier, requiresEncryption: true)
            _ = try nested.verify(token)
            FileHandle.standardError.write(Data("[bench] Portcullis \(benchmark.name) for \(seconds) s\n".utf8))
            ours[benchmark.name] = try measure(seconds) { _ = try nested.verify(token) }
            var encJWK = try benchmark.key.jwk(includingPrivate: true)
            encJWK.keyID = "enc-1"
            var sigJWK = try signingKey.publicKey.jwk()
            sigJWK.keyID = "sig-1"
            pythonCases.append([
                "name": benchmark.name, "token": token, "alg": benchmark.algorithm.name, "enc": benchmark.encryption.name, "sig_alg": "ES256",
                "enc_jwk": try JSONSerialization.jsonObject(with: Data(JSONValue.object(encJWK.jsonObject(includingPrivate: true)).serializedBytes())),
                "sig_jwk": try JSONSerialization.jsonObject(with: Data(JSONValue.object(sigJWK.jsonObject(includingPrivate: false)).serializedBytes())),
            ])
        }
        FileHandle.standardError.write(Data("[bench] joserfc and jwcrypto (\(interpreter))\n".utf8))
        let theirs = try runPython(interpreter, cases: pythonCases, seconds: seconds)
        let versions = (theirs["versions"] as? [String: String]) ?? [:]
        print("Nested JWT decrypt + verify (inner ES256), single thread, ops/s; \(versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        print("| token | Portcullis | joserfc | jwcrypto |")
        print("|---|---:|---:|---:|")
        for benchmark in cases {
            let joserfc = (theirs["joserfc"] as? [String: Double])?[benchmark.name] ?? 0
            let jwcrypto = (theirs["jwcrypto"] as? [String: Double])?[benchmark.name] ?? 0
            print("| \(benchmark.name) | \(Int(ours[benchmark.name] ?? 0)) | \(Int(joserfc)) | \(Int(jwcrypto)) |")
        }
    }

    /// Calls `body` for `seconds` (after a fifth of that as warm-up) and returns calls per second.
    static func measure(_ seconds: Double, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let warm = clock.now.advanced(by: .milliseconds(Int64(seconds * 200)))
        while clock.now < warm { try body() }
        let start = clock.now
        let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        var count = 0
        var now = start
        while now < end {
            for _ in 0..<8 { try body() }
            count += 8
            now = clock.now
        }
        let elapsed = now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func runPython(_ interpreter: String, cases: [[String: Any]], seconds: Double) throws -> [String: Any] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("jwe-bench-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: input) }
        try JSONSerialization.data(withJSONObject: ["seconds": seconds, "cases": cases]).write(to: input)
        guard let script = Bundle.module.url(forResource: "python_nested", withExtension: "py") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [script.path, input.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
