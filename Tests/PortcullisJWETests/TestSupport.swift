import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE

/// Keys generated once per test process (RSA generation is slow).
enum JWETestKeys {
    static let rsa = try! EncryptionKey.generate(.rsa(bits: 2048))
    static let rsa2 = try! EncryptionKey.generate(.rsa(bits: 2048))
    static let p256 = try! EncryptionKey.generate(.agreement(.p256))
    static let p384 = try! EncryptionKey.generate(.agreement(.p384))
    static let p521 = try! EncryptionKey.generate(.agreement(.p521))
    static let x25519 = try! EncryptionKey.generate(.agreement(.x25519))
    static let password = try! EncryptionKey(secret: Array("correct horse battery staple".utf8))

    /// A secret of `count` bytes with a recognisable pattern.
    static func secret(_ count: Int, _ seed: UInt8 = 7) -> EncryptionKey {
        try! EncryptionKey(secret: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
    }

    /// A private key suited to `algorithm` and `encryption`.
    static func key(for algorithm: JWEAlgorithm, _ encryption: JWEEncryption, curve: EncryptionKey.Curve = .p256) -> EncryptionKey {
        switch algorithm.family {
        case .rsaPKCS1, .rsaOAEP: rsa
        case .aesKeyWrap, .aesGCMKeyWrap: secret(algorithm.keyWrapByteCount ?? 16)
        case .direct: secret(encryption.keyByteCount)
        case .ecdhES, .ecdhESKeyWrap:
            switch curve {
            case .p256: p256
            case .p384: p384
            case .p521: p521
            case .x25519: x25519
            }
        case .pbes2: password
        }
    }
}

/// Builds encrypters and decrypters for tests.
struct JWEFixture {
    var algorithm: JWEAlgorithm = .rsaOAEP256
    var encryption: JWEEncryption = .a256GCM
    var curve: EncryptionKey.Curve = .p256
    var keyID: String? = "enc-1"

    var privateKey: EncryptionKey { JWETestKeys.key(for: algorithm, encryption, curve: curve) }

    func token(_ plaintext: String = "hello, encrypted world", compress: Bool = false, contentType: String? = nil) throws(PortcullisError) -> String {
        try JWEEncrypter(key: privateKey.publicKey, keyID: keyID, algorithm: algorithm, encryption: encryption, pbes2Count: 1000)
            .encrypt(Array(plaintext.utf8), contentType: contentType, compress: compress)
    }

    func keySet(_ key: EncryptionKey? = nil, keyID: String?? = nil) -> DecryptionKeySet {
        DecryptionKeySet([DecryptionKey(key ?? privateKey, keyID: keyID ?? self.keyID, algorithm: algorithm, use: "enc")])
    }

    func decrypter(keys: DecryptionKeySet? = nil, configuration: DecryptionConfiguration? = nil) -> JWEDecrypter {
        JWEDecrypter(keys: keys ?? keySet(), configuration: configuration ?? DecryptionConfiguration(algorithms: Set(JWEAlgorithm.all)))
    }

    func decrypt(_ token: String, keys: DecryptionKeySet? = nil, configuration: DecryptionConfiguration? = nil) throws(PortcullisError) -> String {
        String(decoding: try decrypter(keys: keys, configuration: configuration).decrypt(token).plaintext, as: UTF8.self)
    }
}

/// Replaces segment `index` of a compact token.
func replacingSegment(_ token: String, _ index: Int, with value: String) -> String {
    var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    parts[index] = value
    return parts.joined(separator: ".")
}

/// The decoded bytes of segment `index`.
func segmentBytes(_ token: String, _ index: Int) -> [UInt8] {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    return (try? Base64URL.decode(parts[index])) ?? []
}

/// A token whose protected header is replaced by `header` (the AAD changes, so only header
/// checks before decryption can be exercised with it).
func withHeader(_ token: String, _ header: JSONObject) -> String {
    replacingSegment(token, 0, with: Base64URL.encode(header.serializedBytes()))
}

/// The folder of shared test vectors beside the checkout (`../shared/vectors`), if present.
enum SharedVectors {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/vectors")

    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("wycheproof").path) }

    static func wycheproof(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("wycheproof/\(name).json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// Reads a fixture under `Tests/PortcullisJWETests/Fixtures`.
func fixtureData(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"))
}

/// A JSON value from Foundation's JSON as a JWK.
func jwk(_ object: Any) throws -> JWK {
    try JWK(parsing: try JSONSerialization.data(withJSONObject: object))
}
