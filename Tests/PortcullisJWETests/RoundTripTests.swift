import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWE
import Testing

/// Every key management algorithm with every content encryption algorithm, both ways.
@Suite("JWE round trips")
struct RoundTripTests {
    static let pairs: [(JWEAlgorithm, JWEEncryption)] = JWEAlgorithm.all.flatMap { algorithm in
        JWEEncryption.all.map { (algorithm, $0) }
    }

    @Test("encrypt then decrypt", arguments: pairs)
    func roundTrip(_ algorithm: JWEAlgorithm, _ encryption: JWEEncryption) throws {
        let fixture = JWEFixture(algorithm: algorithm, encryption: encryption)
        let token = try fixture.token("Live long and prosper.")
        #expect(token.split(separator: ".", omittingEmptySubsequences: false).count == 5)
        #expect(try fixture.decrypt(token) == "Live long and prosper.")
        let header = try JWECompact.parse(token).header
        #expect(header.algorithm == algorithm.name)
        #expect(header.encryption == encryption.name)
        #expect(header.keyID == "enc-1")
    }

    @Test("ECDH-ES on every curve", arguments: [EncryptionKey.Curve.p256, .p384, .p521, .x25519],
          [JWEAlgorithm.ecdhES, .ecdhESA128KW, .ecdhESA192KW, .ecdhESA256KW])
    func agreement(_ curve: EncryptionKey.Curve, _ algorithm: JWEAlgorithm) throws {
        let fixture = JWEFixture(algorithm: algorithm, encryption: .a128CBCHS256, curve: curve)
        let token = try fixture.token()
        let epk = try #require(try JWECompact.parse(token).header.ephemeralPublicKey)
        #expect(epk.curve == curve.name)
        #expect(epk.d == nil)
        #expect(try fixture.decrypt(token) == "hello, encrypted world")
    }

    @Test("zip DEF round trip and the empty plaintext")
    func compression() throws {
        let fixture = JWEFixture(algorithm: .a128KW, encryption: .a128GCM)
        let long = String(repeating: "compress me ", count: 400)
        let token = try fixture.token(long, compress: true)
        #expect(token.utf8.count < long.utf8.count)
        #expect(try JWECompact.parse(token).header.compression == "DEF")
        #expect(try fixture.decrypt(token) == long)
        #expect(try fixture.decrypt(try fixture.token("", compress: true)).isEmpty)
        #expect(try fixture.decrypt(try fixture.token("")).isEmpty)
    }

    @Test("fresh CEK and IV for every token")
    func freshness() throws {
        let fixture = JWEFixture()
        let first = try fixture.token("same"), second = try fixture.token("same")
        #expect(first != second)
        #expect(segmentBytes(first, 2) != segmentBytes(second, 2))
    }

    @Test("keys round-trip through JWK", arguments: [
        JWETestKeys.rsa, JWETestKeys.p256, JWETestKeys.p384, JWETestKeys.p521, JWETestKeys.x25519, JWETestKeys.secret(32),
    ])
    func jwkRoundTrip(_ key: EncryptionKey) throws {
        let exported = try key.jwk(includingPrivate: true)
        let imported = try EncryptionKey(jwk: exported)
        #expect(try imported.jwk(includingPrivate: true) == exported)
        #expect(imported.isPrivate)
        if key.keyType != .octet {
            let publicJWK = try key.jwk()
            #expect(publicJWK.d == nil)
            #expect(try EncryptionKey(jwk: publicJWK).isPrivate == false)
            #expect(try key.publicKey.jwk() == publicJWK)
        }
    }
}
