import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import Testing

/// Decryption keys are chosen as strictly as verification keys: by `kid`, else the single
/// fitting key, never a fallback; `alg`, `use`, `key_ops`, type and size must all fit.
@Suite("JWE key selection")
struct KeySelectionTests {
    let fixture = JWEFixture(algorithm: .a128KW, encryption: .a128GCM)

    private func code(_ token: String, _ keys: [DecryptionKey]) -> PortcullisError.Code? {
        do {
            _ = try fixture.decrypt(token, keys: DecryptionKeySet(keys))
            return nil
        } catch {
            return error.code
        }
    }

    @Test("by kid, never falling back to another key")
    func byKeyID() throws {
        let token = try fixture.token()
        let right = JWETestKeys.secret(16)
        #expect(code(token, [DecryptionKey(right, keyID: "enc-1")]) == nil)
        #expect(code(token, [DecryptionKey(right, keyID: "other")]) == .keyNotFound)
        #expect(code(token, [DecryptionKey(JWETestKeys.secret(16, 3), keyID: "enc-1"), DecryptionKey(right, keyID: "other")]) == .decryptionFailed)
        #expect(code(token, [DecryptionKey(right, keyID: "enc-1"), DecryptionKey(right, keyID: "enc-1")]) == .keyNotFound)
    }

    @Test("without kid, the single fitting key")
    func withoutKeyID() throws {
        let noKid = JWEFixture(algorithm: .a128KW, encryption: .a128GCM, keyID: nil)
        let token = try noKid.token()
        let right = JWETestKeys.secret(16)
        #expect(code(token, [DecryptionKey(right), DecryptionKey(JWETestKeys.secret(32))]) == nil)
        #expect(code(token, [DecryptionKey(right), DecryptionKey(JWETestKeys.secret(16, 9))]) == .keyNotFound)
        #expect(code(token, [DecryptionKey(JWETestKeys.rsa)]) == .keyNotFound)
    }

    @Test("alg, use and key_ops restrict the key")
    func metadata() throws {
        let token = try fixture.token()
        let key = JWETestKeys.secret(16)
        #expect(code(token, [DecryptionKey(key, keyID: "enc-1", algorithm: .a256KW)]) == .keyNotFound)
        #expect(code(token, [DecryptionKey(key, keyID: "enc-1", use: "sig")]) == .keyNotFound)
        #expect(code(token, [DecryptionKey(key, keyID: "enc-1", keyOperations: ["encrypt", "wrapKey"])]) == .keyNotFound)
        #expect(code(token, [DecryptionKey(key, keyID: "enc-1", keyOperations: ["unwrapKey"])]) == nil)
        #expect(code(token, [DecryptionKey(key, keyID: "enc-1", keyOperations: ["decrypt"])]) == nil)
        #expect(code(token, [DecryptionKey(key, keyID: "enc-1", algorithm: .a128KW, use: "enc")]) == nil)
    }

    @Test("type and size must be exactly what the algorithm needs")
    func typeAndSize() throws {
        #expect(code(try fixture.token(), [DecryptionKey(JWETestKeys.secret(32), keyID: "enc-1")]) == .keyNotFound)
        let direct = JWEFixture(algorithm: .direct, encryption: .a256CBCHS512)
        let directToken = try direct.token()
        #expect(throws: PortcullisError.self) { try direct.decrypt(directToken, keys: DecryptionKeySet([DecryptionKey(JWETestKeys.secret(32), keyID: "enc-1")])) }
        let rsa = JWEFixture(algorithm: .rsaOAEP256, encryption: .a128GCM)
        let rsaToken = try rsa.token()
        let publicOnly = #expect(throws: PortcullisError.self) {
            try rsa.decrypt(rsaToken, keys: DecryptionKeySet([DecryptionKey(JWETestKeys.rsa.publicKey, keyID: "enc-1")]))
        }
        #expect(publicOnly?.code == .keyNotFound)
        let ecdhToken = try JWEFixture(algorithm: .ecdhES, encryption: .a128GCM).token()
        #expect(code(ecdhToken, [DecryptionKey(JWETestKeys.rsa, keyID: "enc-1")]) == .keyNotFound)
    }

    @Test("a JWK Set: enc keys load, sig and public keys are skipped, broken kids are refused")
    func jwkSet() throws {
        var encJWK = try JWETestKeys.secret(16).jwk(includingPrivate: true)
        encJWK.keyID = "enc-1"
        encJWK.use = "enc"
        var sigJWK = try JWETestKeys.secret(16, 1).jwk(includingPrivate: true)
        sigJWK.keyID = "sig-1"
        sigJWK.use = "sig"
        var publicJWK = try JWETestKeys.rsa.jwk()
        publicJWK.keyID = "pub"
        let broken: JSONObject = ["kty": .string("EC"), "kid": .string("bad"), "crv": .string("P-256"),
                                  "x": .string(Base64URL.encode([UInt8](repeating: 1, count: 32))),
                                  "y": .string(Base64URL.encode([UInt8](repeating: 2, count: 32))),
                                  "d": .string(Base64URL.encode([UInt8](repeating: 3, count: 32)))]
        let set = JWKSet(keys: [encJWK, sigJWK, publicJWK, try JWK(json: broken),
                                JWK(keyType: "OKP", keyID: "ed", curve: "Ed25519", d: [UInt8](repeating: 0, count: 32), x: [UInt8](repeating: 0, count: 32))])
        let keys = DecryptionKeySet(jwks: set)
        #expect(keys.keys.map(\.keyID) == ["enc-1"])
        #expect(keys.skipped.count == 4)
        #expect(keys.skipped.filter(\.isWarning).compactMap(\.keyID).sorted() == ["bad", "ed"])
        #expect(try fixture.decrypt(try fixture.token(), keys: keys) == "hello, encrypted world")
        let named = JWEFixture(algorithm: .a128KW, encryption: .a128GCM, keyID: "bad")
        let error = #expect(throws: PortcullisError.self) { try named.decrypt(try named.token(), keys: keys) }
        #expect(error?.code == .keyNotFound)
    }

    @Test("the signature KeySet still skips use: enc keys")
    func signatureSetUnchanged() throws {
        var jwk = try JWETestKeys.p256.jwk()
        jwk.use = "enc"
        #expect(DecryptionKeySet(jwks: JWKSet(keys: [jwk])).keys.isEmpty) // public: cannot decrypt
        #expect(JWEFixture().keySet().keys.count == 1)
    }
}
