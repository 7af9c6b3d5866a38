import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// Published JOSE examples: RFC 7515 Appendix A.1–A.4, RFC 7520 §4.1–4.4, RFC 8037 Appendix A
/// and RFC 7638 §3.1 (transcribed to `Fixtures/rfc_vectors.json`, cross-checked with joserfc).
@Suite("RFC vectors")
struct RFCVectorTests {
    struct Vector: Decodable, CustomTestStringConvertible, Sendable {
        let id: String
        let alg: String?
        let token: String?
        let payload_utf8: String?
        let payload_b64url: String?
        let thumbprint_sha256: String?
        let jwkText: String
        var testDescription: String { id }

        enum CodingKeys: String, CodingKey {
            case id, alg, token, payload_utf8, payload_b64url, thumbprint_sha256, jwk
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            alg = try container.decodeIfPresent(String.self, forKey: .alg)
            token = try container.decodeIfPresent(String.self, forKey: .token)
            payload_utf8 = try container.decodeIfPresent(String.self, forKey: .payload_utf8)
            payload_b64url = try container.decodeIfPresent(String.self, forKey: .payload_b64url)
            thumbprint_sha256 = try container.decodeIfPresent(String.self, forKey: .thumbprint_sha256)
            let jwk = try container.decode([String: String].self, forKey: .jwk)
            jwkText = String(decoding: try JSONSerialization.data(withJSONObject: jwk, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    static let vectors: [Vector] = {
        struct File: Decodable { let vectors: [Vector] }
        guard let data = try? fixtureData("rfc_vectors.json"),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.vectors
    }()

    @Test("the fixture holds every published example")
    func complete() {
        let ids = Set(Self.vectors.map(\.id))
        for id in ["RFC7515-A.1", "RFC7515-A.2", "RFC7515-A.3", "RFC7515-A.4", "RFC7520-4.1", "RFC7520-4.2",
                   "RFC7520-4.3", "RFC7520-4.4", "RFC8037-A.4", "RFC7638-3.1"] {
            #expect(ids.contains(id), "missing \(id)")
        }
    }

    @Test("signatures verify with the published keys", arguments: vectors.filter { $0.token != nil })
    func verifies(vector: Vector) throws {
        let jwk = try JWK(parsing: Array(vector.jwkText.utf8))
        let key = try CryptoKey(jwk: jwk)
        let algorithm = try #require(JWSAlgorithm(name: vector.alg ?? ""))
        let verifier = JWTVerifier(
            keys: KeySet([VerificationKey(key.publicKey)]),
            configuration: VerifierConfiguration(algorithms: [algorithm]))
        let verified = try verifier.verifySignature(try #require(vector.token))
        if let text = vector.payload_utf8 { #expect(verified.payload == Array(text.utf8)) }
        if let encoded = vector.payload_b64url { #expect(verified.payload == (try Base64URL.decode(encoded))) }

        // Any change to the signing input breaks the signature.
        let token = try #require(vector.token)
        let tampered = token.replacingOccurrences(of: ".", with: ".X", options: [], range: token.range(of: "."))
        #expect(throws: PortcullisError.self) { try verifier.verifySignature(tampered) }
    }

    @Test("deterministic signatures are reproduced exactly", arguments: vectors.filter {
        ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "EdDSA"].contains($0.alg ?? "") && $0.token != nil
    })
    func reproduces(vector: Vector) throws {
        let token = try #require(vector.token)
        let jwk = try JWK(parsing: Array(vector.jwkText.utf8))
        let key = try CryptoKey(jwk: jwk)
        let algorithm = try #require(JWSAlgorithm(name: vector.alg ?? ""))
        let input = token[..<token.lastIndex(of: ".")!]
        let signature = try key.sign(Array(input.utf8), algorithm: algorithm)
        #expect(input + "." + Base64URL.encode(signature) == token)
    }

    @Test("RFC 7638 thumbprints", arguments: vectors.filter { $0.thumbprint_sha256 != nil })
    func thumbprint(vector: Vector) throws {
        let jwk = try JWK(parsing: Array(vector.jwkText.utf8))
        #expect(Base64URL.encode(Digests.sha256(try jwk.thumbprintInput())) == vector.thumbprint_sha256)
    }
}
