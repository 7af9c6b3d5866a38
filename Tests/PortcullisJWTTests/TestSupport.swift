import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT

/// A fixed "now" for deterministic time checks.
let testNow: Double = 1_800_000_000

/// Keys generated once per test process (RSA generation is slow).
enum TestKeys {
    static let hmac256 = try! CryptoKey(hmacSecret: Array(repeating: 0x42, count: 32))
    static let hmac512 = try! CryptoKey(hmacSecret: Array(repeating: 0x17, count: 64))
    static let rsa = try! CryptoKey.generate(.rsa(bits: 2048))
    static let rsa2 = try! CryptoKey.generate(.rsa(bits: 2048))
    static let p256 = try! CryptoKey.generate(.ec(.p256))
    static let p256b = try! CryptoKey.generate(.ec(.p256))
    static let p384 = try! CryptoKey.generate(.ec(.p384))
    static let p521 = try! CryptoKey.generate(.ec(.p521))
    static let ed25519 = try! CryptoKey.generate(.okp(.ed25519))
    static let ed448 = try! CryptoKey.generate(.okp(.ed448))

    /// A private key suited to `algorithm`.
    static func signingKey(for algorithm: JWSAlgorithm) -> CryptoKey {
        switch algorithm {
        case .hs256: hmac256
        case .hs384, .hs512: hmac512
        case .es256: p256
        case .es384: p384
        case .es512: p521
        case .eddsa: ed25519
        default: rsa
        }
    }

    /// One key of every kind, for confusion matrices.
    static let everyKind: [(name: String, key: CryptoKey)] = [
        ("oct-256", hmac256), ("oct-512", hmac512), ("RSA", rsa), ("P-256", p256), ("P-384", p384),
        ("P-521", p521), ("Ed25519", ed25519), ("Ed448", ed448),
    ]
}

/// Builds tokens and verifiers for tests.
struct Fixture {
    var algorithm: JWSAlgorithm = .es256
    var keyID: String? = "k1"
    var claims: JSONObject = Fixture.standardClaims()
    var type: String? = "at+jwt"
    var extraHeader = JSONObject()

    static let issuer = "https://issuer.example"
    static let audience = "api://completions"

    static func standardClaims(now: Double = testNow) -> JSONObject {
        [
            "iss": .string(issuer),
            "sub": .string("user-42"),
            "aud": .string(audience),
            "exp": .number(JSONNumber(now + 600)),
            "iat": .number(JSONNumber(now - 10)),
            "nbf": .number(JSONNumber(now - 10)),
            "jti": .string("b4e1c7d2"),
            "client_id": .string("app-7"),
            "scope": .string("completions completions:premium"),
        ]
    }

    var signingKey: CryptoKey { TestKeys.signingKey(for: algorithm) }

    func token(key: CryptoKey? = nil) throws -> String {
        try JWTSigner(key: key ?? signingKey, algorithm: algorithm, keyID: keyID)
            .sign(claims, type: type, additionalHeader: extraHeader)
    }

    /// A token whose header is exactly `header` (serialized as given) and whose signature is made
    /// with `key` under `algorithm`.
    static func rawToken(header: String, payload: JSONObject, key: CryptoKey, algorithm: JWSAlgorithm) throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(JSONValue.object(payload).serializedBytes())
        let signature = try key.sign(Array(input.utf8), algorithm: algorithm)
        return input + "." + Base64URL.encode(signature)
    }

    func keySet(_ key: CryptoKey? = nil, keyID: String?? = nil, restrictAlgorithm: Bool = true) -> KeySet {
        KeySet([VerificationKey(
            (key ?? signingKey).publicKey, keyID: keyID ?? self.keyID,
            algorithm: restrictAlgorithm ? algorithm : nil)])
    }

    func configuration(leeway: Double = 60, now: Double = testNow) -> VerifierConfiguration {
        var configuration = VerifierConfiguration(
            algorithms: Set(JWSAlgorithm.all), issuers: [Fixture.issuer], audiences: [Fixture.audience], leeway: leeway)
        configuration.clock = { NumericDate(now) }
        return configuration
    }

    func verifier(keys: KeySet? = nil, configuration: VerifierConfiguration? = nil) -> JWTVerifier {
        JWTVerifier(keys: keys ?? keySet(), configuration: configuration ?? self.configuration())
    }

    func verify(_ token: String, keys: KeySet? = nil, configuration: VerifierConfiguration? = nil) throws(PortcullisError) -> VerifiedToken {
        try verifier(keys: keys, configuration: configuration).verify(token)
    }
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

/// Reads a fixture under `Tests/PortcullisJWTTests/Fixtures`.
func fixtureData(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/\(name)"))
}
