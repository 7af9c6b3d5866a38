import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import Testing

/// Project Wycheproof's JWE vectors (`json_web_encryption_test`, and the JWE groups of
/// `json_web_crypto_test`), read from `../shared/vectors`: every `valid` token decrypts to its
/// plaintext, every `invalid` one is refused (wrong primitives, modified PKCS #1 padding,
/// RSA1_5 against OAEP keys, JSON serialization, bad CBC padding).
@Suite("Wycheproof JWE", .enabled(if: SharedVectors.available, "../shared/vectors is absent: Wycheproof JWE vectors not run"))
struct WycheproofJWETests {
    struct Outcome {
        var valid = 0, invalid = 0, failures: [String] = []
    }

    private func run(_ file: String) throws -> Outcome {
        let document = try SharedVectors.wycheproof(file)
        var outcome = Outcome()
        for group in document["testGroups"] as? [[String: Any]] ?? [] {
            guard let comment = group["comment"] as? String, comment.hasPrefix("jwe") || group["type"] as? String == "JsonWebEncryption",
                  let privateJWK = group["private"] else { continue }
            let key = try DecryptionKey(jwk: jwk(privateJWK))
            let decrypter = JWEDecrypter(keys: DecryptionKeySet([key]), configuration: DecryptionConfiguration(algorithms: Set(JWEAlgorithm.all)))
            for test in group["tests"] as? [[String: Any]] ?? [] {
                let id = test["tcId"] as? Int ?? -1
                let token: String
                if let compact = test["jwe"] as? String {
                    token = compact
                } else if let object = test["jwe"], let data = try? JSONSerialization.data(withJSONObject: object) {
                    token = String(decoding: data, as: UTF8.self)
                } else {
                    continue
                }
                let result = test["result"] as? String
                do {
                    let plaintext = try decrypter.decrypt(token).plaintext
                    if result == "valid", let expected = test["pt"] as? String {
                        if plaintext.map({ String(format: "%02x", $0) }).joined() == expected { outcome.valid += 1 } else {
                            outcome.failures.append("tcId \(id): wrong plaintext")
                        }
                    } else if result == "valid" {
                        outcome.valid += 1
                    } else {
                        outcome.failures.append("tcId \(id) (\(test["comment"] ?? "")): invalid token accepted")
                    }
                } catch {
                    if result == "valid" {
                        outcome.failures.append("tcId \(id) (\(test["comment"] ?? "")): valid token refused: \(error)")
                    } else {
                        outcome.invalid += 1
                        if error.code == .decryptionFailed, error.message != JWEDecrypter.decryptionFailedMessage {
                            outcome.failures.append("tcId \(id): non-uniform decryption_failed message")
                        }
                    }
                }
            }
        }
        return outcome
    }

    @Test("json_web_encryption_test")
    func encryption() throws {
        let outcome = try run("json_web_encryption_test")
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
        #expect(outcome.valid >= 60)
        #expect(outcome.invalid >= 70)
    }

    @Test("json_web_crypto_test (JWE groups)")
    func crypto() throws {
        let outcome = try run("json_web_crypto_test")
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
        #expect(outcome.valid + outcome.invalid >= 30)
    }
}
