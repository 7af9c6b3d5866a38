import Foundation
import PortcullisCrypto
import PortcullisJOSE
import Testing

/// Project Wycheproof's vectors for the JWE building blocks, run through the same entry points the
/// decrypter uses: AES-GCM (96-bit IV, 128-bit tag), AES key wrap (RFC 3394), AES-CBC with PKCS #7
/// padding, RSA-OAEP (SHA-1 and SHA-256, empty label) and X25519.
@Suite("Wycheproof JWE primitives", .enabled(if: SharedVectors.available, "../shared/vectors is absent: Wycheproof primitive vectors not run"))
struct WycheproofPrimitiveTests {
    private func hex(_ value: Any?) -> [UInt8] {
        let text = value as? String ?? ""
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    /// Every test of `file` whose group passes `include`, with its group.
    private func tests(_ file: String, include: ([String: Any]) -> Bool = { _ in true }) throws -> [([String: Any], [String: Any])] {
        let document = try SharedVectors.wycheproof(file)
        return (document["testGroups"] as? [[String: Any]] ?? []).filter(include).flatMap { group in
            (group["tests"] as? [[String: Any]] ?? []).map { (group, $0) }
        }
    }

    @Test("aes_gcm_test (96-bit IVs)")
    func aesGCM() throws {
        var checked = 0
        for (_, test) in try tests("aes_gcm_test", include: { $0["ivSize"] as? Int == 96 && $0["tagSize"] as? Int == 128 }) {
            let key = hex(test["key"]), iv = hex(test["iv"]), aad = hex(test["aad"]), tag = hex(test["tag"])
            let opened = try AES.gcmOpen(key: key, iv: iv, aad: aad, ciphertext: hex(test["ct"]), tag: tag)
            if test["result"] as? String == "valid" {
                #expect(opened == hex(test["msg"]), "tcId \(test["tcId"] ?? "")")
                let sealed = try AES.gcmSeal(key: key, iv: iv, aad: aad, plaintext: hex(test["msg"]))
                #expect(sealed.ciphertext == hex(test["ct"]) && sealed.tag == tag, "tcId \(test["tcId"] ?? "")")
            } else {
                #expect(opened == nil, "tcId \(test["tcId"] ?? "")")
            }
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test("aes_wrap_test")
    func aesWrap() throws {
        var checked = 0
        for (_, test) in try tests("aes_wrap_test") {
            let unwrapped = try AES.unwrap(kek: hex(test["key"]), wrapped: hex(test["ct"]))
            switch test["result"] as? String {
            case "valid":
                #expect(unwrapped == hex(test["msg"]), "tcId \(test["tcId"] ?? "")")
                #expect(try AES.wrap(kek: hex(test["key"]), keyData: hex(test["msg"])) == hex(test["ct"]))
            case "invalid":
                #expect(unwrapped == nil, "tcId \(test["tcId"] ?? "")")
            default:
                #expect(unwrapped == nil || unwrapped == hex(test["msg"]))
            }
            checked += 1
        }
        #expect(checked > 150)
    }

    @Test("aes_cbc_pkcs5_test")
    func aesCBC() throws {
        var checked = 0
        for (_, test) in try tests("aes_cbc_pkcs5_test") {
            let key = hex(test["key"]), iv = hex(test["iv"])
            let decrypted = try AES.cbcDecrypt(key: key, iv: iv, ciphertext: hex(test["ct"]))
            if test["result"] as? String == "valid" {
                #expect(decrypted == hex(test["msg"]), "tcId \(test["tcId"] ?? "")")
                #expect(try AES.cbcEncrypt(key: key, iv: iv, plaintext: hex(test["msg"])) == hex(test["ct"]))
            } else {
                #expect(decrypted == nil, "tcId \(test["tcId"] ?? "")")
            }
            checked += 1
        }
        #expect(checked > 200)
    }

    @Test("rsa_oaep_2048 SHA-1 and SHA-256 (empty label)", arguments: [
        ("rsa_oaep_2048_sha1_mgf1sha1_test", RSAEncryptionPadding.oaepSHA1), ("rsa_oaep_2048_sha256_mgf1sha256_test", .oaepSHA256),
    ])
    func rsaOAEP(_ file: String, _ padding: RSAEncryptionPadding) throws {
        var checked = 0
        for (group, test) in try tests(file) where hex(test["label"]).isEmpty {
            let jwk = try JWK(parsing: try JSONSerialization.data(withJSONObject: try #require(group["privateKeyJwk"])))
            let key = try EncryptionKey(jwk: jwk)
            let decrypted = try key.rsaDecrypt(hex(test["ct"]), padding: padding)
            if test["result"] as? String == "valid" {
                #expect(decrypted == hex(test["msg"]), "tcId \(test["tcId"] ?? "")")
            } else {
                #expect(decrypted == nil, "tcId \(test["tcId"] ?? "")")
            }
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test("x25519_test")
    func x25519() throws {
        var valid = 0, refused = 0
        for (_, test) in try tests("x25519_test") {
            let mine = try EncryptionKey(x25519PrivateKey: hex(test["private"]))
            let result: [UInt8]?
            do {
                let peer = try EncryptionKey(jwk: JWK(keyType: "OKP", curve: "X25519", x: hex(test["public"])))
                result = try mine.sharedSecret(with: peer)
            } catch {
                #expect(error.code == .invalidKey)
                result = nil
            }
            if test["result"] as? String == "valid" {
                #expect(result == hex(test["shared"]), "tcId \(test["tcId"] ?? "")")
                valid += 1
            } else {
                // acceptable: low-order and twist points; an all-zero secret must be refused.
                if hex(test["shared"]).allSatisfy({ $0 == 0 }) { #expect(result == nil, "tcId \(test["tcId"] ?? "")") }
                if let result { #expect(result == hex(test["shared"])) } else { refused += 1 }
            }
        }
        #expect(valid > 200)
        #expect(refused > 0)
    }
}
