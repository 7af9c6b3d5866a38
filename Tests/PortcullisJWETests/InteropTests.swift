import Foundation
import PortcullisTesting
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import Testing

/// Cross-checks with Python's `joserfc` and `jwcrypto` through `Tests/Interop/interop.py`
/// (`jwe-mint`, `jwe-decrypt`), for every `alg` × `enc` pair and ECDH-ES on every curve, both
/// ways. `scripts/test.sh` creates the virtual environment and sets `PORTCULLIS_INTEROP_PYTHON`.
@Suite(
    "JWE interop with joserfc and jwcrypto",
    .enabled(if: JWEInterop.python != nil, "PORTCULLIS_INTEROP_PYTHON is not set: run scripts/test.sh for interop tests"))
struct JWEInteropTests {
    @Test("tokens encrypted by joserfc and jwcrypto decrypt in Portcullis")
    func pythonEncrypts() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-jwe-mint-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let minted = try await JWEInterop.run(["jwe-mint", "--out", file.path])
        #expect(minted.status == 0, "\(minted.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect((document["gaps"] as? [String])?.isEmpty == true, "\(document["gaps"] ?? "")")
        let cases = try #require(document["cases"] as? [[String: Any]])
        var decrypted: Set<String> = []
        for entry in cases {
            let name = entry["name"] as? String ?? "?"
            let keys = try DecryptionKeySet(jwksJSON: [UInt8](try JSONSerialization.data(withJSONObject: try #require(entry["jwks"]))))
            #expect(keys.keys.count == 1, "\(name): \(keys.skipped)")
            let decrypter = JWEDecrypter(keys: keys, configuration: DecryptionConfiguration(algorithms: Set(JWEAlgorithm.all)))
            do {
                let result = try decrypter.decrypt(try #require(entry["token"] as? String))
                #expect(String(decoding: result.plaintext, as: UTF8.self) == entry["plaintext"] as? String, "\(name)")
                decrypted.insert(name)
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
        // 13 algorithms × 6 encryptions, plus ECDH-ES* × (6 + 3 more curves), by 2 libraries.
        let expected: Int = 2 * (13 * 6 + 4 * 9)
        #expect(decrypted.count == expected, "\(decrypted.count)")
    }

    @Test("tokens Portcullis encrypts decrypt in joserfc and jwcrypto")
    func portcullisEncrypts() async throws {
        var cases: [[String: Any]] = []
        let plaintext = "Live long and prosper. – 🖖"
        for algorithm in JWEAlgorithm.all {
            for encryption in JWEEncryption.all {
                let curves: [EncryptionKey.Curve] = algorithm.family == .ecdhES || algorithm.family == .ecdhESKeyWrap
                    ? (encryption == .a128GCM ? EncryptionKey.Curve.allCases : [.p256]) : [.p256]
                for curve in curves {
                    let key = JWETestKeys.key(for: algorithm, encryption, curve: curve)
                    let kid = "\(algorithm.name)-\(encryption.name)-\(curve.name)"
                    let token = try JWEEncrypter(key: key.publicKey, keyID: kid, algorithm: algorithm, encryption: encryption)
                        .encrypt(Array(plaintext.utf8), compress: encryption == .a256GCM)
                    var jwk = try key.jwk(includingPrivate: true)
                    jwk.keyID = kid
                    jwk.algorithm = algorithm.name
                    jwk.use = "enc"
                    let jwks = JSONValue.object(["keys": .array([.object(jwk.jsonObject(includingPrivate: true))])])
                    cases.append([
                        "alg": algorithm.name, "enc": encryption.name, "token": token, "plaintext": plaintext,
                        "jwks": try JSONSerialization.jsonObject(with: Data(jwks.serializedBytes())),
                    ])
                }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-jwe-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: ["cases": cases]).write(to: file)
        let result = try await JWEInterop.run(["jwe-decrypt", "--in", file.path])
        #expect(result.status == 0, "\(result.stderr.split(separator: "\n").filter { $0.hasPrefix("[FAIL]") }.joined(separator: "\n"))")
        let summary = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        #expect(summary?["failed"] as? Int == 0)
        #expect(summary?["passed"] as? Int == cases.count * 2)
    }
}

/// Runs `Tests/Interop/interop.py` with the interop virtual environment's Python.
enum JWEInterop {
    static let python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"]
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/interop.py").path

    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: Data, stderr: String) {
        let output = try await TestProcess.run(URL(fileURLWithPath: try #require(python)), [script] + arguments)
        return (output.status, output.stdout, output.stderr)
    }
}
