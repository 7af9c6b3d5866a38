import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import PortcullisJWT
import Testing

/// Published JWE examples: RFC 7516 Appendix A.1–A.3, RFC 7520 §5.1–5.9 and §6, and the JOSE
/// cookbook's RFC 8037 X25519 ECDH-ES example (transcribed to `Fixtures/rfc_jwe_vectors.json`).
@Suite("JWE RFC vectors")
struct JWERFCVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let name: String
        let keyJSON: Data
        let algorithm: String
        let encryption: String
        let token: String
        let plaintext: String?
        let plaintextJSON: Data?
        var testDescription: String { name }
    }

    static var document: [String: Any] {
        guard let data = try? fixtureData("rfc_jwe_vectors.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    static let vectors: [Vector] = ((document["vectors"] as? [[String: Any]]) ?? []).compactMap { entry in
        guard let name = entry["name"] as? String, let key = entry["key"],
              let keyJSON = try? JSONSerialization.data(withJSONObject: key),
              let algorithm = entry["algorithm"] as? String, let encryption = entry["encryption"] as? String,
              let token = entry["token"] as? String else { return nil }
        return Vector(
            name: name, keyJSON: keyJSON, algorithm: algorithm, encryption: encryption, token: token,
            plaintext: entry["plaintext"] as? String,
            plaintextJSON: entry["plaintext_json"].flatMap { try? JSONSerialization.data(withJSONObject: $0) })
    }

    @Test("the fixture holds every published compact example")
    func complete() {
        #expect(Self.vectors.count == 13)
        for prefix in ["RFC 7516 §A.1", "RFC 7516 §A.2", "RFC 7516 §A.3", "RFC 7520 §5.1", "RFC 7520 §5.3", "RFC 7520 §5.9", "RFC 8037"] {
            #expect(Self.vectors.contains { $0.name.hasPrefix(prefix) }, "missing \(prefix)")
        }
    }

    @Test("decrypts", arguments: vectors)
    func decrypts(_ vector: Vector) throws {
        let key = try DecryptionKey(jwk: JWK(parsing: vector.keyJSON))
        let algorithm = try #require(JWEAlgorithm(name: vector.algorithm))
        let decrypter = JWEDecrypter(keys: DecryptionKeySet([key]), configuration: DecryptionConfiguration(algorithms: [algorithm]))
        let decrypted = try decrypter.decrypt(vector.token)
        #expect(decrypted.algorithm.name == vector.algorithm)
        #expect(decrypted.encryption.name == vector.encryption)
        if let plaintext = vector.plaintext {
            #expect(String(decoding: decrypted.plaintext, as: UTF8.self) == plaintext)
        } else {
            let expected = try JSONReader.parse(Array(try #require(vector.plaintextJSON)))
            #expect(try JSONReader.parse(decrypted.plaintext) == expected)
        }
    }

    @Test("a flipped bit anywhere after the header is decryption_failed or malformed", arguments: vectors)
    func tampered(_ vector: Vector) throws {
        let key = try DecryptionKey(jwk: JWK(parsing: vector.keyJSON))
        let algorithm = try #require(JWEAlgorithm(name: vector.algorithm))
        let decrypter = JWEDecrypter(keys: DecryptionKeySet([key]), configuration: DecryptionConfiguration(algorithms: [algorithm]))
        for segment in [1, 3, 4] where !segmentBytes(vector.token, segment).isEmpty {
            var bytes = segmentBytes(vector.token, segment)
            bytes[bytes.count / 2] ^= 0x01
            let token = replacingSegment(vector.token, segment, with: Base64URL.encode(bytes))
            let error = #expect(throws: PortcullisError.self) { try decrypter.decrypt(token) }
            #expect(error?.code == .decryptionFailed)
            #expect(error?.message == JWEDecrypter.decryptionFailedMessage)
        }
    }

    @Test("RFC 7520 §6: nested signed-then-encrypted JWT")
    func nested() throws {
        let nested = try #require(Self.document["nested"] as? [String: Any])
        let decryptionKey = try DecryptionKey(jwk: jwk(try #require(nested["decryption_key"])))
        let signingJWK = try jwk(try #require(nested["signing_key"]))
        let verificationKey = VerificationKey(try CryptoKey(jwk: signingJWK).publicKey, keyID: signingJWK.keyID)
        var configuration = VerifierConfiguration(algorithms: [.ps256], issuers: ["hobbiton.example"])
        configuration.clock = { NumericDate(1_300_819_000) }
        let verifier = NestedJWTVerifier(
            decrypter: JWEDecrypter(keys: DecryptionKeySet([decryptionKey])),
            verifier: JWTVerifier(keys: KeySet([verificationKey]), configuration: configuration),
            requiresEncryption: true)
        let verified = try verifier.verify(try #require(nested["token"] as? String))
        #expect(verified.token.issuer == "hobbiton.example")
        #expect(verified.token.header.algorithm == "PS256")
        #expect(verified.encryptionHeader?.algorithm == "RSA-OAEP")
        #expect(verified.token["http://example.com/is_root"] == .bool(true))
    }

    @Test("RFC 7748 §6.1 / RFC 8037 A.6: X25519 shared secret and key import")
    func x25519() throws {
        func hex(_ text: String) -> [UInt8] {
            stride(from: 0, to: text.count, by: 2).map { UInt8(text.dropFirst($0).prefix(2), radix: 16) ?? 0 }
        }
        let alice = try EncryptionKey(jwk: JWK(keyType: "OKP", curve: "X25519",
            d: hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
            x: hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")))
        let bob = try EncryptionKey(jwk: JWK(keyType: "OKP", curve: "X25519",
            x: hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")))
        #expect(try alice.sharedSecret(with: bob) == hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"))
        // RFC 8037 §2: "x" must match "d".
        let error = #expect(throws: PortcullisError.self) {
            try EncryptionKey(jwk: JWK(keyType: "OKP", curve: "X25519",
                                       d: hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
                                       x: hex(String(repeating: "09", count: 32))))
        }
        #expect(error?.code == .invalidKey)
    }

    @Test("RFC 7518 Appendix C: the ECDH-ES Concat KDF")
    func concatKDF() throws {
        // Alice's ephemeral and Bob's static P-256 keys of RFC 7518 Appendix C, enc A128GCM,
        // apu "Alice", apv "Bob"; derived key VqqN6vgjbSBcIijNcacQGg.
        let ephemeral = try EncryptionKey(jwk: JWK(keyType: "EC", curve: "P-256",
            x: try Base64URL.decode("gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0"),
            y: try Base64URL.decode("SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps")))
        let bob = try EncryptionKey(jwk: JWK(keyType: "EC", curve: "P-256",
            d: try Base64URL.decode("VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw"),
            x: try Base64URL.decode("weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ"),
            y: try Base64URL.decode("e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck")))
        let z = try bob.sharedSecret(with: ephemeral)
        let derived = ConcatKDF.derive(
            sharedSecret: z, keyBitCount: 128, algorithmID: "A128GCM", partyUInfo: Array("Alice".utf8), partyVInfo: Array("Bob".utf8))
        #expect(Base64URL.encode(derived) == "VqqN6vgjbSBcIijNcacQGg")
    }
}
