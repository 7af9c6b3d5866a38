import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import PortcullisJWT
import Testing

/// Nested JWTs (RFC 7519 §5.2): decrypt, then every verifier rule on the inner JWS.
@Suite("Nested JWTs")
struct NestedJWTTests {
    static let signingKey = try! CryptoKey.generate(.ec(.p256))
    static let now: Double = 1_800_000_000

    private func innerToken(exp: Double = now + 600) throws -> String {
        try JWTSigner(key: Self.signingKey, algorithm: .es256, keyID: "sig-1").sign(
            ["iss": .string("https://issuer.example"), "sub": .string("user-1"), "exp": .number(JSONNumber(exp))], type: "JWT")
    }

    private func verifier(algorithms: Set<JWEAlgorithm> = Set(JWEAlgorithm.all), requiresEncryption: Bool = false,
                          fixture: JWEFixture = JWEFixture()) -> NestedJWTVerifier {
        var configuration = VerifierConfiguration(algorithms: [.es256], issuers: ["https://issuer.example"])
        configuration.clock = { NumericDate(Self.now) }
        return NestedJWTVerifier(
            decrypter: fixture.decrypter(configuration: DecryptionConfiguration(algorithms: algorithms)),
            verifier: JWTVerifier(keys: KeySet([VerificationKey(Self.signingKey.publicKey, keyID: "sig-1")]), configuration: configuration),
            requiresEncryption: requiresEncryption)
    }

    private func nested(_ fixture: JWEFixture = JWEFixture(), contentType: String? = "JWT", inner: String? = nil) throws -> String {
        try JWEEncrypter(key: fixture.privateKey.publicKey, keyID: fixture.keyID, algorithm: fixture.algorithm, encryption: fixture.encryption)
            .encrypt(Array((inner ?? innerToken()).utf8), contentType: contentType)
    }

    @Test("RSA-OAEP-256 + A256GCM and ECDH-ES + A128GCM nested tokens verify", arguments: [
        JWEFixture(algorithm: .rsaOAEP256, encryption: .a256GCM), JWEFixture(algorithm: .ecdhES, encryption: .a128GCM),
        JWEFixture(algorithm: .ecdhESA256KW, encryption: .a256CBCHS512, curve: .x25519),
    ])
    func verifies(_ fixture: JWEFixture) throws {
        let result = try verifier(fixture: fixture).verify(try nested(fixture))
        #expect(result.token.subject == "user-1")
        #expect(result.token.header.algorithm == "ES256")
        #expect(result.encryptionHeader?.algorithm == fixture.algorithm.name)
        #expect(result.encryptionHeader?.contentType == "JWT")
    }

    @Test("a Substring token (after Bearer) verifies the same")
    func substring() throws {
        let header = "Bearer " + (try nested())
        let token = header.dropFirst("Bearer ".count)
        #expect(try verifier().verify(token).token.subject == "user-1")
        let error = #expect(throws: PortcullisError.self) { try verifier().verify(Substring(String(repeating: "a", count: 70_000))) }
        #expect(error?.code == .tokenTooLarge)
    }

    @Test("the inner token gets every verifier rule")
    func innerRules() throws {
        let expired = try nested(inner: try innerToken(exp: Self.now - 3600))
        let error = #expect(throws: PortcullisError.self) { try verifier().verify(expired) }
        #expect(error?.code == .expired)
        var forged = try innerToken().split(separator: ".").map(String.init)
        forged[2] = Base64URL.encode([UInt8](repeating: 1, count: 64))
        let forgedError = #expect(throws: PortcullisError.self) { try verifier().verify(try nested(inner: forged.joined(separator: "."))) }
        #expect(forgedError?.code == .invalidSignature)
    }

    @Test("cty must be JWT; application/jwt and any casing are accepted")
    func contentType() throws {
        #expect(try verifier().verify(try nested(contentType: "application/JWT")).token.subject == "user-1")
        for bad in [nil, "json"] as [String?] {
            let error = #expect(throws: PortcullisError.self) { try verifier().verify(try nested(contentType: bad)) }
            #expect(error?.code == .malformed)
        }
    }

    @Test("one level only: a JWE inside a JWE is refused")
    func depth() throws {
        let inner = try nested()
        let error = #expect(throws: PortcullisError.self) { try verifier().verify(try nested(inner: inner)) }
        #expect(error?.code == .malformed)
    }

    @Test("RSA1_5 and PBES2 are never accepted for nested tokens, even when allowed", arguments: [JWEAlgorithm.rsa1_5, .pbes2HS256A128KW])
    func unsafe(_ algorithm: JWEAlgorithm) throws {
        let fixture = JWEFixture(algorithm: algorithm, encryption: .a128GCM)
        let token = try nested(fixture)
        let error = #expect(throws: PortcullisError.self) { try verifier(algorithms: [algorithm], fixture: fixture).verify(token) }
        #expect(error?.code == .algorithmNotAllowed)
    }

    @Test("a plain JWS is verified unless encryption is required")
    func plain() throws {
        #expect(try verifier().verify(try innerToken()).encryptionHeader == nil)
        let error = #expect(throws: PortcullisError.self) { try verifier(requiresEncryption: true).verify(try innerToken()) }
        #expect(error?.code == .malformed)
    }

    @Test("decryption failures stay uniform in the nested path")
    func uniform() throws {
        let token = try nested()
        var tag = segmentBytes(token, 4)
        tag[0] ^= 1
        let error = #expect(throws: PortcullisError.self) { try verifier().verify(replacingSegment(token, 4, with: Base64URL.encode(tag))) }
        #expect(error?.code == .decryptionFailed)
        #expect(error?.message == JWEDecrypter.decryptionFailedMessage)
    }
}
