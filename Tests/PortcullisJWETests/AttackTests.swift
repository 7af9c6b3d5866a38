import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import Testing

/// Every attack named in the JWE issue is refused with a clear code, in bounded time.
@Suite("JWE attacks")
struct AttackTests {
    private func refuse(
        _ token: String, _ code: PortcullisError.Code, fixture: JWEFixture = JWEFixture(),
        configuration: DecryptionConfiguration? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: PortcullisError.self, sourceLocation: sourceLocation) {
            try fixture.decrypt(token, configuration: configuration)
        }
        #expect(error?.code == code, "\(error?.message ?? "")", sourceLocation: sourceLocation)
        if code == .decryptionFailed {
            #expect(error?.message == JWEDecrypter.decryptionFailedMessage, sourceLocation: sourceLocation)
        }
    }

    @Test("a decompression bomb stops at the cap, in bounded time")
    func bomb() throws {
        let fixture = JWEFixture(algorithm: .a256KW, encryption: .a256GCM)
        // 20 MB of zeros deflates to about 20 KB: a token well under the 64 KB limit.
        let bomb = String(repeating: "\0", count: 20_000_000)
        let token = try fixture.token(bomb, compress: true)
        #expect(token.utf8.count < 65_536)
        let start = ContinuousClock.now
        refuse(token, .tokenTooLarge, fixture: fixture)
        // Bounded time (loose: CI shares two cores); the size check proves the cap.
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("the decompressed-size cap is inclusive")
    func capIsInclusive() throws {
        let fixture = JWEFixture(algorithm: .direct, encryption: .a128GCM)
        var configuration = DecryptionConfiguration()
        configuration.maximumDecompressedSize = 1000
        let exact = try fixture.token(String(repeating: "a", count: 1000), compress: true)
        #expect(try fixture.decrypt(exact, configuration: configuration).utf8.count == 1000)
        refuse(try fixture.token(String(repeating: "a", count: 1001), compress: true), .tokenTooLarge,
               fixture: fixture, configuration: configuration)
        configuration.maximumDecompressedSize = 0
        #expect(try fixture.decrypt(try fixture.token("", compress: true), configuration: configuration).isEmpty)
    }

    @Test("compressed content that is not DEFLATE, or has trailing bytes, is malformed")
    func badDeflate() throws {
        let key = JWETestKeys.secret(16)
        let encrypter = try JWEEncrypter(key: key, algorithm: .direct, encryption: .a128GCM)
        // zip: DEF over bytes that are not a raw DEFLATE stream (the header claims compression).
        let notDeflate = try encrypter.encrypt([0xFF, 0xFF, 0xFF, 0xFF], additionalHeader: ["zip": .string("DEF")])
        let keys = DecryptionKeySet([DecryptionKey(key)])
        let error = #expect(throws: PortcullisError.self) { try JWEDecrypter(keys: keys).decrypt(notDeflate) }
        #expect(error?.code == .malformed)
        let trailing = try encrypter.encrypt(try Deflate.deflate(Array("abc".utf8)) + [0x00], additionalHeader: ["zip": .string("DEF")])
        let trailingError = #expect(throws: PortcullisError.self) { try JWEDecrypter(keys: keys).decrypt(trailing) }
        #expect(trailingError?.code == .malformed)
    }

    @Test("an ephemeral key off the curve is invalid_key, before any agreement")
    func offCurve() throws {
        let fixture = JWEFixture(algorithm: .ecdhES, encryption: .a128GCM)
        let token = try fixture.token()
        var header = try JWECompact.parse(token).header.json
        let epk = try #require(header["epk"]?.objectValue)
        var y = try Base64URL.decode(try #require(epk["y"]?.stringValue))
        y[y.count - 1] ^= 0x01
        header = header.replacing("epk", with: .object(epk.replacing("y", with: .string(Base64URL.encode(y)))))
        refuse(withHeader(token, header), .invalidKey, fixture: fixture)
    }

    @Test("an ephemeral key on another curve does not fit the key (key_not_found)")
    func wrongCurve() throws {
        let p384Token = try JWEFixture(algorithm: .ecdhES, encryption: .a128GCM, curve: .p384).token()
        refuse(p384Token, .keyNotFound, fixture: JWEFixture(algorithm: .ecdhES, encryption: .a128GCM, curve: .p256))
        let xToken = try JWEFixture(algorithm: .ecdhES, encryption: .a128GCM, curve: .x25519).token()
        refuse(xToken, .keyNotFound, fixture: JWEFixture(algorithm: .ecdhES, encryption: .a128GCM, curve: .p256))
    }

    @Test("an X25519 low-order ephemeral key is refused (all-zero shared secret)")
    func lowOrder() throws {
        let fixture = JWEFixture(algorithm: .ecdhES, encryption: .a128GCM, curve: .x25519)
        let token = try fixture.token()
        var header = try JWECompact.parse(token).header.json
        let epk: JSONObject = ["kty": .string("OKP"), "crv": .string("X25519"), "x": .string(Base64URL.encode([UInt8](repeating: 0, count: 32)))]
        header = header.replacing("epk", with: .object(epk))
        refuse(withHeader(token, header), .invalidKey, fixture: fixture)
    }

    @Test("a huge p2c is refused before any work, even with PBES2 allowed")
    func hugeIterationCount() throws {
        let fixture = JWEFixture(algorithm: .pbes2HS256A128KW, encryption: .a128GCM)
        let token = try fixture.token()
        var configuration = DecryptionConfiguration(algorithms: [.pbes2HS256A128KW])
        configuration.maximumPBES2Count = 10_000_000 // clamped to the ceiling
        for count in [100_001, 2_000_000_000] {
            let header = try JWECompact.parse(token).header.json.replacing("p2c", with: .number(JSONNumber(count)))
            let start = ContinuousClock.now
            refuse(withHeader(token, header), .malformed, fixture: fixture, configuration: configuration)
            #expect(ContinuousClock.now - start < .seconds(5))   // 2e9 iterations would take hours
        }
        #expect(try fixture.decrypt(token, configuration: configuration) == "hello, encrypted world")
    }

    @Test("a modified tag, ciphertext, IV or encrypted key is decryption_failed", arguments: [
        (JWEAlgorithm.rsaOAEP256, JWEEncryption.a256GCM), (.a128KW, .a128CBCHS256), (.ecdhESA256KW, .a256CBCHS512),
        (.a256GCMKW, .a192GCM), (.direct, .a192CBCHS384), (.rsa1_5, .a128GCM),
    ])
    func modified(_ algorithm: JWEAlgorithm, _ encryption: JWEEncryption) throws {
        let fixture = JWEFixture(algorithm: algorithm, encryption: encryption)
        let token = try fixture.token()
        for segment in [1, 2, 3, 4] where !segmentBytes(token, segment).isEmpty {
            var bytes = segmentBytes(token, segment)
            bytes[0] ^= 0x80
            refuse(replacingSegment(token, segment, with: Base64URL.encode(bytes)), .decryptionFailed, fixture: fixture)
        }
    }

    @Test("truncated ciphertext or tag, and an empty tag, are decryption_failed", arguments: [JWEEncryption.a128GCM, .a128CBCHS256])
    func truncated(_ encryption: JWEEncryption) throws {
        let fixture = JWEFixture(algorithm: .a128KW, encryption: encryption)
        let token = try fixture.token(String(repeating: "x", count: 100))
        let ciphertext = segmentBytes(token, 3), tag = segmentBytes(token, 4)
        refuse(replacingSegment(token, 3, with: Base64URL.encode(ciphertext.dropLast(16))), .decryptionFailed, fixture: fixture)
        refuse(replacingSegment(token, 3, with: Base64URL.encode(ciphertext.dropLast(1))), .decryptionFailed, fixture: fixture)
        refuse(replacingSegment(token, 3, with: ""), .decryptionFailed, fixture: fixture)
        refuse(replacingSegment(token, 4, with: Base64URL.encode(tag.dropLast(1))), .decryptionFailed, fixture: fixture)
        refuse(replacingSegment(token, 4, with: ""), .decryptionFailed, fixture: fixture)
        refuse(replacingSegment(token, 1, with: Base64URL.encode(segmentBytes(token, 1).dropLast(8))), .decryptionFailed, fixture: fixture)
    }

    @Test("the wrong key is decryption_failed, with the same message for every failure", arguments: [
        JWEAlgorithm.rsaOAEP, .rsaOAEP256, .rsa1_5, .a128KW, .a256GCMKW, .direct, .pbes2HS512A256KW,
    ])
    func wrongKey(_ algorithm: JWEAlgorithm) throws {
        let fixture = JWEFixture(algorithm: algorithm, encryption: .a256GCM)
        let token = try fixture.token()
        let other: EncryptionKey = algorithm.family == .rsaPKCS1 || algorithm.family == .rsaOAEP
            ? JWETestKeys.rsa2
            : (algorithm.family == .pbes2 ? try EncryptionKey(secret: Array("wrong password".utf8))
                : JWETestKeys.secret(fixture.privateKey.secretBytes?.count ?? 16, 99))
        let error = #expect(throws: PortcullisError.self) { try fixture.decrypt(token, keys: fixture.keySet(other)) }
        #expect(error?.code == .decryptionFailed)
        #expect(error?.message == JWEDecrypter.decryptionFailedMessage)
        #expect(try fixture.decrypt(token) == "hello, encrypted world")
    }
}

extension JSONObject {
    /// A copy with member `name` replaced (or appended).
    func replacing(_ name: String, with value: JSONValue) -> JSONObject {
        var members = self.members.filter { $0.name != name }
        members.append(.init(name: name, value: value))
        return JSONObject(uniqueMembers: members)
    }
}
