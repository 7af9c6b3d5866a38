import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import Testing

/// Key selection as pinned by the contract: by `kid`, else the single fitting key; never a fallback.
@Suite("Key selection")
struct KeySelectionTests {
    @Test("an unknown kid never falls back to another key")
    func unknownKeyID() throws {
        let fixture = Fixture(keyID: "rotated-away")
        let keys = KeySet([
            VerificationKey(fixture.signingKey.publicKey, keyID: "current", algorithm: .es256),
        ])
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), keys: keys) }
        #expect(error?.code == .keyNotFound)
        #expect(error?.keyID == "rotated-away")
    }

    @Test("a kid naming a key that does not fit the algorithm is key_not_found")
    func kidNamesWrongType() throws {
        let fixture = Fixture(algorithm: .es256, keyID: "shared")
        let keys = KeySet([
            VerificationKey(TestKeys.rsa.publicKey, keyID: "shared"),
            VerificationKey(fixture.signingKey.publicKey, keyID: "other"),
        ])
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), keys: keys) }
        #expect(error?.code == .keyNotFound)
    }

    @Test("without kid, the single fitting key is used")
    func singleFittingKey() throws {
        let fixture = Fixture(algorithm: .es256, keyID: nil)
        let keys = KeySet([
            VerificationKey(TestKeys.rsa.publicKey, keyID: "rsa"),
            VerificationKey(TestKeys.ed25519.publicKey, keyID: "ed"),
            VerificationKey(fixture.signingKey.publicKey, keyID: "ec"),
        ])
        let verified = try fixture.verify(try fixture.token(), keys: keys)
        #expect(verified.verifiedKeyID == "ec")
    }

    @Test("without kid, several fitting keys are ambiguous")
    func ambiguous() throws {
        let fixture = Fixture(algorithm: .es256, keyID: nil)
        let keys = KeySet([
            VerificationKey(fixture.signingKey.publicKey, keyID: "a"),
            VerificationKey(TestKeys.p256b.publicKey, keyID: "b"),
        ])
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), keys: keys) }
        #expect(error?.code == .keyNotFound)
    }

    @Test("a key's alg must equal the token's alg")
    func keyAlgorithm() throws {
        let fixture = Fixture(algorithm: .rs384)
        let keys = KeySet([VerificationKey(TestKeys.rsa.publicKey, keyID: "k1", algorithm: .rs256)])
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(try fixture.token(), keys: keys) }
        #expect(error?.code == .keyNotFound)
    }

    @Test("use must be sig and key_ops must include verify")
    func useAndOperations() throws {
        let fixture = Fixture()
        let key = fixture.signingKey.publicKey
        for verificationKey in [
            VerificationKey(key, keyID: "k1", use: "enc"),
            VerificationKey(key, keyID: "k1", keyOperations: ["sign"]),
            VerificationKey(key, keyID: "k1", keyOperations: []),
        ] {
            let error = #expect(throws: PortcullisError.self) {
                try fixture.verify(try fixture.token(), keys: KeySet([verificationKey]))
            }
            #expect(error?.code == .keyNotFound)
        }
        let ok = VerificationKey(key, keyID: "k1", use: "sig", keyOperations: ["verify"])
        #expect(throws: Never.self) { try fixture.verify(try fixture.token(), keys: KeySet([ok])) }
    }

    @Test("an HMAC key shorter than the hash output is invalid_key")
    func shortHMACKey() throws {
        let fixture = Fixture(algorithm: .hs512)
        let token = try fixture.token()
        let keys = KeySet([VerificationKey(TestKeys.hmac256, keyID: "k1")])
        let error = #expect(throws: PortcullisError.self) { try fixture.verify(token, keys: keys) }
        #expect(error?.code == .invalidKey)
    }

    @Test("JWK Sets load usable keys and report the rest")
    func jwkSetLoading() throws {
        let ec = try TestKeys.p256.publicKey.jwk()
        let ecJSON = JSONValue.object(ec.jsonObject(includingPrivate: false)).serializedString()
        let document = """
            {"keys": [
              {"kty": "RSA", "use": "enc", "kid": "enc-key", "n": "\(Base64URL.encode(try TestKeys.rsa.jwk().n!))", "e": "AQAB"},
              {"kty": "EC", "crv": "secp256k1", "kid": "k1", "x": "AAAA", "y": "AAAA"},
              {"kty": "OKP", "crv": "X25519", "kid": "x", "x": "\(Base64URL.encode([UInt8](repeating: 9, count: 32)))"},
              {"kty": "oct", "kid": "short", "k": "AAEC"},
              {"kty": "RSA", "kid": "bad-b64", "n": "!!", "e": "AQAB"},
              {"kty": "PQC", "kid": "future"},
              \(ecJSON.dropLast()), "kid": "good", "alg": "ES256"}
            ]}
            """
        let keys = try KeySet(jwksJSON: Array(document.utf8))
        #expect(keys.keys.map(\.keyID) == ["good"])
        #expect(keys.skipped.count == 6)
        let warned = Set(keys.skipped.filter(\.isWarning).compactMap(\.keyID))
        #expect(warned == ["short", "bad-b64"])
        #expect(keys.skipped.map(\.index) == [0, 1, 2, 3, 4, 5])
    }

    @Test("a document that is not a JWK Set is malformed", arguments: ["[]", "{}", #"{"keys": {}}"#, "not json", #"{"keys": [1]"#])
    func notAJWKSet(document: String) {
        let error = #expect(throws: PortcullisError.self) { try KeySet(jwksJSON: Array(document.utf8)) }
        #expect(error?.code == .malformed)
    }

    @Test("headers that point at keys are never trusted", arguments: ["jwk", "jku", "x5u", "x5c"])
    func embeddedKeys(header: String) throws {
        // The attacker signs with their own key and advertises it in the header.
        let attacker = TestKeys.p256b
        let attackerJWK = JSONValue.object(try attacker.publicKey.jwk().jsonObject(includingPrivate: false)).serializedString()
        let value: String = switch header {
        case "jwk": attackerJWK
        case "x5c": #"["MIIBszCCAVmgAwIBAgIUQ=="]"#
        default: #""https://attacker.example/keys""#
        }
        let fixture = Fixture(algorithm: .es256)
        for kid in [#","kid":"k1""#, ""] {
            let token = try Fixture.rawToken(
                header: #"{"alg":"ES256"\#(kid),"\#(header)":\#(value)}"#, payload: fixture.claims,
                key: attacker, algorithm: .es256)
            let error = #expect(throws: PortcullisError.self) { try fixture.verify(token) }
            #expect(error?.code == .invalidSignature)
        }
    }
}
