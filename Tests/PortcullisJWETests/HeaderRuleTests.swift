import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import Testing

/// Structure, `alg`/`enc` allow-lists, `crit` and `zip`: refused before any key is touched.
@Suite("JWE header and structure rules")
struct HeaderRuleTests {
    let fixture = JWEFixture(algorithm: .a128KW, encryption: .a128GCM)

    private func code(_ token: String, configuration: DecryptionConfiguration? = nil) -> PortcullisError.Code? {
        do {
            _ = try fixture.decrypt(token, configuration: configuration)
            return nil
        } catch {
            return error.code
        }
    }

    private func header(_ token: String) throws -> JSONObject { try JWECompact.parse(token).header.json }

    @Test("structure: segments, base64url, whitespace, header JSON")
    func structure() throws {
        let token = try fixture.token()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(code(parts.prefix(4).joined(separator: ".")) == .malformed)
        #expect(code(token + ".") == .malformed)
        #expect(code(parts.prefix(3).joined(separator: ".")) == .malformed)
        #expect(code(" " + token) == .malformed)
        #expect(code(replacingSegment(token, 2, with: String(parts[2]) + "=")) == .malformed)
        #expect(code(replacingSegment(token, 3, with: "a+b/")) == .malformed)
        #expect(code(replacingSegment(token, 0, with: "")) == .malformed)
        #expect(code(replacingSegment(token, 0, with: Base64URL.encode(Array("[1]".utf8)))) == .malformed)
        #expect(code(replacingSegment(token, 0, with: Base64URL.encode(Array(#"{"alg":"A128KW","alg":"A128KW","enc":"A128GCM"}"#.utf8)))) == .malformed)
        #expect(code(withHeader(token, ["alg": .string("A128KW")])) == .malformed)
        #expect(code(withHeader(token, ["enc": .string("A128GCM")])) == .malformed)
        #expect(code(withHeader(token, ["alg": .string("A128KW"), "enc": .number(JSONNumber(1))])) == .malformed)
    }

    @Test("a token over the size limit is token_too_large before decoding")
    func size() throws {
        var configuration = DecryptionConfiguration()
        configuration.maximumTokenSize = 100
        let token = try fixture.token()
        #expect(code(token, configuration: configuration) == .tokenTooLarge)
        #expect(code(String(repeating: "!", count: 70_000)) == .tokenTooLarge)
    }

    @Test("unknown, none and disallowed algorithms")
    func algorithms() throws {
        let token = try fixture.token()
        let base = try header(token)
        #expect(code(withHeader(token, base.replacing("alg", with: .string("none")))) == .unsupportedAlgorithm)
        #expect(code(withHeader(token, base.replacing("alg", with: .string("a128kw")))) == .unsupportedAlgorithm)
        #expect(code(withHeader(token, base.replacing("enc", with: .string("A128CTR")))) == .unsupportedAlgorithm)
        #expect(code(token, configuration: DecryptionConfiguration(algorithms: [.a256KW])) == .algorithmNotAllowed)
        #expect(code(token, configuration: DecryptionConfiguration(encryptions: [.a256GCM])) == .algorithmNotAllowed)
    }

    @Test("RSA1_5 and PBES2 are refused unless named explicitly", arguments: [JWEAlgorithm.rsa1_5, .pbes2HS256A128KW, .pbes2HS384A192KW, .pbes2HS512A256KW])
    func unsafeByDefault(_ algorithm: JWEAlgorithm) throws {
        #expect(algorithm.isUnsafe)
        #expect(!JWEAlgorithm.recommended.contains(algorithm))
        let unsafe = JWEFixture(algorithm: algorithm, encryption: .a128GCM)
        let token = try unsafe.token()
        let error = #expect(throws: PortcullisError.self) { try unsafe.decrypt(token, configuration: DecryptionConfiguration()) }
        #expect(error?.code == .algorithmNotAllowed)
        #expect(try unsafe.decrypt(token, configuration: DecryptionConfiguration(algorithms: [algorithm])) == "hello, encrypted world")
    }

    @Test("crit: registered names, unknown extensions and bad shapes are refused")
    func critical() throws {
        let token = try fixture.token()
        let base = try header(token)
        #expect(code(withHeader(token, base.replacing("crit", with: .array([.string("enc")])))) == .unsupportedCriticalHeader)
        #expect(code(withHeader(token, base.replacing("crit", with: .array([.string("zip")])))) == .unsupportedCriticalHeader)
        #expect(code(withHeader(token, base.replacing("crit", with: .array([.string("exp")])).replacing("exp", with: .number(JSONNumber(1))))) == .unsupportedCriticalHeader)
        #expect(code(withHeader(token, base.replacing("crit", with: .array([])))) == .unsupportedCriticalHeader)
        #expect(code(withHeader(token, base.replacing("crit", with: .string("exp")))) == .unsupportedCriticalHeader)
    }

    @Test("zip values other than DEF are unsupported")
    func zip() throws {
        let token = try fixture.token()
        #expect(code(withHeader(token, try header(token).replacing("zip", with: .string("GZIP")))) == .unsupportedAlgorithm)
        #expect(code(withHeader(token, try header(token).replacing("zip", with: .bool(true)))) == .malformed)
    }

    @Test("key-management parameters are checked before the key: dir/ECDH-ES encrypted key, IV length, epk, GCMKW iv/tag, p2s")
    func parameters() throws {
        let direct = JWEFixture(algorithm: .direct, encryption: .a128GCM)
        let directToken = try direct.token()
        var error = #expect(throws: PortcullisError.self) { try direct.decrypt(replacingSegment(directToken, 1, with: "AAAA")) }
        #expect(error?.code == .malformed)
        error = #expect(throws: PortcullisError.self) { try direct.decrypt(replacingSegment(directToken, 2, with: Base64URL.encode([UInt8](repeating: 1, count: 16)))) }
        #expect(error?.code == .malformed)

        let ecdh = JWEFixture(algorithm: .ecdhES, encryption: .a128GCM)
        let ecdhToken = try ecdh.token()
        let ecdhHeader = try header(ecdhToken)
        let noEPK = JSONObject(uniqueMembers: ecdhHeader.members.filter { $0.name != "epk" })
        error = #expect(throws: PortcullisError.self) { try ecdh.decrypt(withHeader(ecdhToken, noEPK)) }
        #expect(error?.code == .malformed)
        error = #expect(throws: PortcullisError.self) { try ecdh.decrypt(withHeader(ecdhToken, ecdhHeader.replacing("epk", with: .string("x")))) }
        #expect(error?.code == .malformed)
        let rsaEPK: JSONObject = ["kty": .string("RSA"), "n": .string("AQAB"), "e": .string("AQAB")]
        error = #expect(throws: PortcullisError.self) { try ecdh.decrypt(withHeader(ecdhToken, ecdhHeader.replacing("epk", with: .object(rsaEPK)))) }
        #expect(error?.code == .invalidKey)

        let gcmkw = JWEFixture(algorithm: .a128GCMKW, encryption: .a128GCM)
        let gcmToken = try gcmkw.token()
        let gcmHeader = try header(gcmToken)
        error = #expect(throws: PortcullisError.self) { try gcmkw.decrypt(withHeader(gcmToken, gcmHeader.replacing("iv", with: .string("AAAA")))) }
        #expect(error?.code == .malformed)
        error = #expect(throws: PortcullisError.self) { try gcmkw.decrypt(withHeader(gcmToken, JSONObject(uniqueMembers: gcmHeader.members.filter { $0.name != "tag" }))) }
        #expect(error?.code == .malformed)

        let pbes2 = JWEFixture(algorithm: .pbes2HS256A128KW, encryption: .a128GCM)
        let pbesToken = try pbes2.token()
        error = #expect(throws: PortcullisError.self) { try pbes2.decrypt(withHeader(pbesToken, try header(pbesToken).replacing("p2s", with: .string("AAAA")))) }
        #expect(error?.code == .malformed)
        error = #expect(throws: PortcullisError.self) { try pbes2.decrypt(withHeader(pbesToken, try header(pbesToken).replacing("p2c", with: .number(JSONNumber(-5))))) }
        #expect(error?.code == .malformed)
    }
}
