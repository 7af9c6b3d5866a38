import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// Project Wycheproof's JSON Web Signature and JSON Web Key vectors, run through the verifier at
/// the JWS level (their payloads are not JWT claim sets).
@Suite("Wycheproof JWS and JWK", .enabled(if: SharedVectors.available, "../shared/vectors is absent: Wycheproof vectors not run"))
struct WycheproofJOSETests {
    struct Outcome {
        var valid = 0
        var invalid = 0
        var failures: [String] = []
    }

    /// Runs every test of a file; `valid` must verify, `invalid` must be refused.
    func run(_ file: String) throws -> Outcome {
        let document = try SharedVectors.wycheproof(file)
        var outcome = Outcome()
        for group in document["testGroups"] as? [[String: Any]] ?? [] {
            let keyText = (group["public"] as? String) ?? (group["private"] as? String) ?? "{}"
            let keys = Self.keySet(keyText)
            let verifier = JWTVerifier(keys: keys, configuration: VerifierConfiguration(algorithms: Set(JWSAlgorithm.all)))
            for test in group["tests"] as? [[String: Any]] ?? [] {
                let id = test["tcId"] as? Int ?? -1
                let result = test["result"] as? String
                guard let jws = test["jws"] as? String else {
                    // JSON serialization is not compact: never accepted here.
                    if result == "valid" { outcome.failures.append("tc \(id): non-compact valid vector") }
                    outcome.invalid += 1
                    continue
                }
                do {
                    _ = try verifier.verifySignature(jws)
                    if result == "invalid" { outcome.failures.append("tc \(id) (\(test["comment"] ?? "")): accepted an invalid JWS") }
                    else { outcome.valid += 1 }
                } catch {
                    if result == "valid" { outcome.failures.append("tc \(id) (\(test["comment"] ?? "")): \(error)") }
                    else { outcome.invalid += 1 }
                }
            }
        }
        return outcome
    }

    static func keySet(_ text: String) -> KeySet {
        let bytes = Array(text.utf8)
        if let set = try? KeySet(jwksJSON: bytes), text.contains("\"keys\"") { return set }
        guard let jwk = try? JWK(parsing: bytes) else { return KeySet([]) }
        return KeySet(jwks: JWKSet(keys: [jwk]))
    }

    @Test("json_web_signature_test")
    func signatures() throws {
        let outcome = try run("json_web_signature_test")
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.valid > 10)
        #expect(outcome.invalid > 100)
    }

    @Test("json_web_key_test")
    func keys() throws {
        let outcome = try run("json_web_key_test")
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.valid >= 3)
        #expect(outcome.invalid >= 15)
    }
}
