import PortcullisCrypto
import PortcullisJOSE
import Testing

/// Project Wycheproof vectors for every JWS primitive: valid signatures must verify, invalid
/// ones must not (or their key must be refused), acceptable ones may go either way.
@Suite(
    "Wycheproof",
    .enabled(if: Vectors.wycheproofAvailable, "Wycheproof vectors not found at <package root>/../shared/vectors/wycheproof")
)
struct WycheproofTests {
    /// A signature vector file and the exact tally it must produce.
    struct SignatureFile: Sendable, CustomTestStringConvertible {
        let name: String
        let algorithm: JWSAlgorithm
        let valid: Int
        let invalid: Int
        let acceptable: Int
        var testDescription: String { name }
    }

    static let signatureFiles: [SignatureFile] = [
        SignatureFile(name: "ecdsa_secp256r1_sha256_p1363_test.json", algorithm: .es256, valid: 173, invalid: 89, acceptable: 0),
        SignatureFile(name: "ecdsa_secp384r1_sha384_p1363_test.json", algorithm: .es384, valid: 193, invalid: 87, acceptable: 0),
        SignatureFile(name: "ecdsa_secp521r1_sha512_p1363_test.json", algorithm: .es512, valid: 231, invalid: 87, acceptable: 0),
        SignatureFile(name: "rsa_signature_2048_sha256_test.json", algorithm: .rs256, valid: 9, invalid: 249, acceptable: 1),
        SignatureFile(name: "rsa_signature_2048_sha384_test.json", algorithm: .rs384, valid: 7, invalid: 250, acceptable: 1),
        SignatureFile(name: "rsa_signature_2048_sha512_test.json", algorithm: .rs512, valid: 8, invalid: 250, acceptable: 1),
        SignatureFile(name: "rsa_pss_2048_sha256_mgf1_32_test.json", algorithm: .ps256, valid: 63, invalid: 45, acceptable: 0),
        SignatureFile(name: "ed25519_test.json", algorithm: .eddsa, valid: 88, invalid: 63, acceptable: 0),
        SignatureFile(name: "ed448_test.json", algorithm: .eddsa, valid: 17, invalid: 70, acceptable: 0),
    ]

    /// The key of a signature group: from its JWK when it has one (exercising `init(jwk:)`),
    /// otherwise from its SubjectPublicKeyInfo DER.
    static func key(of group: WycheproofGroup) throws -> CryptoKey {
        if let jwk = (group.json["publicKeyJwk"] ?? group.json["keyJwk"]) as? [String: Any] {
            return try CryptoKey(jwk: makeJWK(jwk.compactMapValues { $0 as? String }))
        }
        let der = try #require(group.json["publicKeyDer"] as? String)
        return try CryptoKey(der: Bytes.hex(der), format: .spki)
    }

    @Test("signature vectors", arguments: signatureFiles)
    func signatures(_ file: SignatureFile) throws {
        let tally = try Wycheproof.run(file.name, makeKey: Self.key(of:)) { key, test in
            try key.verify(signature: test.signature, signingInput: test.message, algorithm: file.algorithm)
        }
        #expect(tally.failures.isEmpty, "\(file.name): \(tally)")
        #expect(tally.keyRejectedValid == 0 && tally.keyRejectedInvalid == 0, "\(file.name): \(tally)")
        #expect(tally.validVerified == file.valid, "\(file.name): \(tally)")
        #expect(tally.invalidRejected == file.invalid, "\(file.name): \(tally)")
        #expect(tally.acceptable == file.acceptable, "\(file.name): \(tally)")
        #expect(tally.validVerified > 0 && tally.invalidRejected > 0)
    }

    /// A MAC vector file, with the tally it must produce. Only full-length tags apply (JWS never
    /// truncates); keys shorter than 256 bits are refused at load, and keys shorter than the hash
    /// are refused by `checkUsable`.
    struct MACFile: Sendable, CustomTestStringConvertible {
        let name: String
        let algorithm: JWSAlgorithm
        let expected: WycheproofTally
        var testDescription: String { name }
    }

    static let macFiles: [MACFile] = [
        MACFile(
            name: "hmac_sha256_test.json", algorithm: .hs256,
            expected: WycheproofTally(validVerified: 30, invalidRejected: 54, keyRejectedValid: 3, skipped: 87)),
        MACFile(
            name: "hmac_sha384_test.json", algorithm: .hs384,
            expected: WycheproofTally(validVerified: 30, invalidRejected: 54, keyRejectedValid: 3, skipped: 87)),
        MACFile(
            name: "hmac_sha512_test.json", algorithm: .hs512,
            expected: WycheproofTally(validVerified: 30, invalidRejected: 54, keyRejectedValid: 3, skipped: 87)),
    ]

    @Test("HMAC vectors", arguments: macFiles)
    func macs(_ file: MACFile) throws {
        let fullBits = (file.algorithm.digest?.byteCount ?? 0) * 8
        let tally = try Wycheproof.run(file.name, makeKey: { group in
            // Keys are per case; the group only decides applicability.
            guard group.json["tagSize"] as? Int == fullBits else { return nil }
            return try CryptoKey.generate(.hmac(byteCount: 64))
        }, verify: { _, test in
            try CryptoKey(hmacSecret: test.key)
                .verify(signature: test.signature, signingInput: test.message, algorithm: file.algorithm)
        })
        #expect(tally == file.expected, "\(file.name): \(tally)")
    }
}
