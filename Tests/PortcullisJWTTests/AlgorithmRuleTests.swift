import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// `alg` handling (RFC 7515 §4.1.1, RFC 8725 §2.1 and §3.1) and the algorithm × key-type matrix.
@Suite("Algorithms")
struct AlgorithmRuleTests {
    @Test("alg none is never accepted, in any casing", arguments: ["none", "None", "NONE", "nOnE"])
    func none(name: String) throws {
        let fixture = Fixture()
        let token = Base64URL.encode(Array(#"{"alg":"\#(name)","kid":"k1"}"#.utf8)) + "."
            + Base64URL.encode(JSONValue.object(fixture.claims).serializedBytes()) + "."
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .unsupportedAlgorithm)
    }

    @Test("unknown algorithms are unsupported", arguments: ["HS1", "RS1", "ES256K", "hs256", "RSA-OAEP", "PS256 ", ""])
    func unknown(name: String) throws {
        let fixture = Fixture()
        let token = try Fixture.rawToken(
            header: #"{"alg":"\#(name)","kid":"k1"}"#, payload: fixture.claims, key: fixture.signingKey, algorithm: .es256)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .unsupportedAlgorithm)
    }

    @Test("alg missing or not a string is malformed", arguments: [#"{"kid":"k1"}"#, #"{"alg":256}"#, #"{"alg":null}"#, #"{"alg":["ES256"]}"#])
    func missing(header: String) throws {
        let fixture = Fixture()
        let token = try Fixture.rawToken(header: header, payload: fixture.claims, key: fixture.signingKey, algorithm: .es256)
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
        #expect(error?.code == .malformed)
    }

    @Test("an algorithm outside the allow-list is refused before any key is used")
    func notAllowed() throws {
        let fixture = Fixture(algorithm: .es256)
        var configuration = fixture.configuration()
        configuration.algorithms = [.rs256, .eddsa]
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), configuration: configuration) }
        #expect(error?.code == .algorithmNotAllowed)
        #expect(error?.message.contains("RS256") == true)
    }

    @Test("every algorithm verifies with its own key type", arguments: JWSAlgorithm.all)
    func roundTrip(algorithm: JWSAlgorithm) throws {
        let fixture = Fixture(algorithm: algorithm)
        let verified = try fixture.verify(try fixture.token())
        #expect(verified.algorithm == algorithm)
        #expect(verified.subject == "user-42")
        #expect(verified.verifiedKeyID == "k1")
    }

    /// A token of every algorithm against a single key of every other kind: never accepted, and
    /// the refusal is about the key (not a signature check against a mismatched key).
    @Test("algorithm × key type matrix", arguments: JWSAlgorithm.all)
    func confusionMatrix(algorithm: JWSAlgorithm) throws {
        let fixture = Fixture(algorithm: algorithm, keyID: nil)
        let token = try fixture.token()
        for (name, key) in TestKeys.everyKind {
            let keys = KeySet([VerificationKey(key.publicKey)])
            let fits = key.isCompatible(with: algorithm)
            do {
                _ = try fixture.verify(token, keys: keys)
                #expect(fits, "\(algorithm.name) accepted with \(name)")
            } catch {
                if fits {
                    // Same type, other key material: the signature (or, for short HMAC keys, the
                    // key strength) is what fails.
                    #expect([.invalidSignature, .invalidKey].contains(error.code), "\(algorithm.name) with \(name): \(error)")
                } else {
                    #expect(error.code == .keyNotFound, "\(algorithm.name) with \(name): \(error)")
                }
            }
        }
    }

    @Test("HS256 signed with an RSA public key's bytes is not accepted (key confusion)")
    func rsaPublicKeyAsHMACSecret() throws {
        let fixture = Fixture(algorithm: .rs256)
        let pem = try TestKeys.rsa.publicKey.pem()
        let secret = try CryptoKey(hmacSecret: Array(pem.utf8))
        var claims = fixture.claims
        claims["sub"] = .string("attacker")
        let forged = try Fixture.rawToken(
            header: #"{"alg":"HS256","kid":"k1"}"#, payload: claims, key: secret, algorithm: .hs256)
        let keys = KeySet([VerificationKey(TestKeys.rsa.publicKey, keyID: "k1")])
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(forged, keys: keys) }
        #expect(error?.code == .keyNotFound)
    }

    @Test("ECDSA signatures with r or s out of range are invalid (CVE-2022-21449)")
    func psychicSignatures() throws {
        let fixture = Fixture(algorithm: .es256)
        let token = try fixture.token()
        let input = token[..<token.lastIndex(of: ".")!]
        for signature in [[UInt8](repeating: 0, count: 64), [UInt8](repeating: 0xFF, count: 64),
                          [UInt8](repeating: 0, count: 32) + [UInt8](repeating: 1, count: 32)] {
            let forged = input + "." + Base64URL.encode(signature)
            let error = #expect(throws: PortcullisError.self) { try fixture.verify(String(forged)) }
            #expect(error?.code == .invalidSignature)
        }
    }

    @Test("a modified signature or payload is invalid", arguments: JWSAlgorithm.all)
    func tampering(algorithm: JWSAlgorithm) throws {
        let fixture = Fixture(algorithm: algorithm)
        let token = try fixture.token()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var signature = try Base64URL.decode(parts[2])
        signature[signature.count / 2] ^= 0x01
        let badSignature = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        var error = #expect(throws: PortcullisError.self) { try fixture.verify(badSignature) }
        #expect(error?.code == .invalidSignature)

        var claims = fixture.claims
        claims["scope"] = .string("completions completions:premium admin")
        let badPayload = parts[0] + "." + Base64URL.encode(JSONValue.object(claims).serializedBytes()) + "." + parts[2]
        error = #expect(throws: PortcullisError.self) { try fixture.verify(badPayload) }
        #expect(error?.code == .invalidSignature)

        let truncated = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature.dropLast())
        error = #expect(throws: PortcullisError.self) { try fixture.verify(truncated) }
        #expect(error?.code == .invalidSignature)

        let empty = parts[0] + "." + parts[1] + "."
        error = #expect(throws: PortcullisError.self) { try fixture.verify(empty) }
        #expect(error?.code == .invalidSignature)
    }
}
