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
        /// Deviations that were refused as the Portcullis contract requires.
        var refusedByContract: [Int] = []
    }

    /// Vectors where the pinned Portcullis contract is stricter than Wycheproof's expectation.
    /// Each must be *refused*; any other outcome is a failure.
    static let contractDeviations: [String: [Int: String]] = [
        "json_web_signature_test": [
            346: "RFC 7520 Figure 20 is PS384 but the group's JWK says alg PS256: a JWK's alg must equal the token's",
            350: "same as 346",
            347: "the group's JWK has alg ES521 (unregistered) for an ES512 token: a JWK's alg must equal the token's",
            351: "same as 347",
            372: "a '?' inside the header segment: only the base64url alphabet is accepted",
            373: "a '?' inside the payload segment: only the base64url alphabet is accepted",
        ],
    ]

    /// Vectors whose token is byte-for-byte the same as a valid one (tc 357) yet marked invalid:
    /// their intended modification is missing from this copy of the vectors, so they say nothing.
    static let contradictory: [String: Set<Int>] = ["json_web_signature_test": [367, 370]]

    /// Runs every test of a file; `valid` must verify, `invalid` must be refused.
    func run(_ file: String) throws -> Outcome {
        let document = try SharedVectors.wycheproof(file)
        let deviations = Self.contractDeviations[file] ?? [:]
        let contradictory = Self.contradictory[file] ?? []
        var outcome = Outcome()
        for group in document["testGroups"] as? [[String: Any]] ?? [] {
            let keyObject = group["public"] ?? group["private"] ?? [String: Any]()
            let keyText = String(decoding: try JSONSerialization.data(withJSONObject: keyObject), as: UTF8.self)
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
                if contradictory.contains(id) { continue }
                if deviations[id] != nil {
                    if (try? verifier.verifySignature(jws)) == nil { outcome.refusedByContract.append(id) }
                    else { outcome.failures.append("tc \(id): accepted, but the contract refuses it: \(deviations[id]!)") }
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
        #expect(outcome.refusedByContract.sorted() == [346, 347, 350, 351, 372, 373])
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
