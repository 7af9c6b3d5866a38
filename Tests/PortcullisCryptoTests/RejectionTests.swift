import PortcullisCrypto
import PortcullisJOSE
import Testing

/// Unacceptable keys and signatures, each with the code it must produce.
@Suite("Rejections")
struct RejectionTests {
    static let message = Array("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyZWplY3QifQ".utf8)

    static func code(_ body: () throws -> Void) -> PortcullisError.Code? {
        do {
            try body()
            return nil
        } catch let error as PortcullisError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test("RSA key material")
    func rsaKeys() throws {
        let jwk = try CryptoKey.generate(.rsa(bits: 2048)).jwk(includingPrivate: true)
        let n = try #require(jwk.n)
        // 1024-bit modulus.
        let short = JWK(keyType: "RSA", n: [0xC0] + [UInt8](repeating: 0x55, count: 126) + [0x01], e: [1, 0, 1])
        #expect(Self.code { _ = try CryptoKey(jwk: short) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey.generate(.rsa(bits: 1024)) } == .invalidKey)
        // Exponent 1, even, too long.
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "RSA", n: n, e: [1])) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "RSA", n: n, e: [1, 0, 0])) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "RSA", n: n, e: [1] + [UInt8](repeating: 0, count: 8) + [1])) } == .invalidKey)
        // Partial CRT set, multi-prime, missing members, mismatched private exponent.
        var partial = jwk
        partial.dq = nil
        #expect(Self.code { _ = try CryptoKey(jwk: partial) } == .malformed)
        var multiPrime = jwk
        multiPrime.json = JSONObject(["oth": .array([])])
        #expect(Self.code { _ = try CryptoKey(jwk: multiPrime) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "RSA", n: n)) } == .malformed)
        var wrongD = jwk
        wrongD.p = nil; wrongD.q = nil; wrongD.dp = nil; wrongD.dq = nil; wrongD.qi = nil
        wrongD.d = try CryptoKey.generate(.rsa(bits: 2048)).jwk(includingPrivate: true).d
        #expect(Self.code { _ = try CryptoKey(jwk: wrongD) } == .invalidKey)
    }

    @Test("EC key material")
    func ecKeys() throws {
        let jwk = try CryptoKey.generate(.ec(.p256)).jwk(includingPrivate: true)
        let x = try #require(jwk.x), y = try #require(jwk.y), d = try #require(jwk.d)
        var offCurve = y
        offCurve[31] ^= 0x01
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", x: x, y: offCurve)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", x: Array(x.dropFirst()), y: y)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", x: [0] + x, y: [0] + y)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", d: Array(d.dropFirst()), x: x, y: y)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", d: [UInt8](repeating: 7, count: 32), x: x, y: y)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "secp256k1", x: x, y: y)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "Ed25519", x: x, y: y)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", x: x, y: y)) } == .malformed)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", x: x)) } == .malformed)
        // The point at infinity has no affine encoding: all-zero coordinates are not on the curve.
        let zero = [UInt8](repeating: 0, count: 32)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "EC", curve: "P-256", x: zero, y: zero)) } == .invalidKey)
    }

    @Test("OKP, oct and unknown key types")
    func otherKeys() throws {
        let jwk = try CryptoKey.generate(.okp(.ed25519)).jwk(includingPrivate: true)
        let x = try #require(jwk.x)
        let x25519 = #expect(throws: PortcullisError.self) { try CryptoKey(jwk: JWK(keyType: "OKP", curve: "X25519", x: x)) }
        #expect(x25519?.code == .invalidKey)
        #expect(x25519?.message.contains("not a signature key") == true)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "OKP", curve: "X448", x: x)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "OKP", curve: "Ed25519", x: Array(x.dropLast()))) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "OKP", curve: "Ed25519", d: [UInt8](repeating: 1, count: 32), x: x)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "OKP", curve: "Ed25519", d: [1], x: x)) } == .invalidKey)
        let short = #expect(throws: PortcullisError.self) { try CryptoKey(jwk: JWK(keyType: "oct", k: [UInt8](repeating: 1, count: 16))) }
        #expect(short?.code == .invalidKey)
        #expect(short?.message.contains("at least 256 bits") == true)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "oct", k: [])) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "oct")) } == .malformed)
        #expect(Self.code { _ = try CryptoKey(jwk: JWK(keyType: "AKP")) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey.generate(.hmac(byteCount: 16)) } == .invalidKey)
        #expect(Self.code { _ = try CryptoKey.generate(.ec(.ed25519)) } == .invalidKey)
    }

    @Test("key fit per algorithm")
    func fit() throws {
        let secret = try CryptoKey(hmacSecret: [UInt8](repeating: 9, count: 32))
        let error = #expect(throws: PortcullisError.self) { try secret.checkUsable(with: .hs512) }
        #expect(error?.code == .invalidKey)
        #expect(error?.message.contains("HMAC key is 256 bits; HS512 needs at least 512") == true)
        #expect(Self.code { _ = try secret.verify(signature: [UInt8](repeating: 0, count: 64), signingInput: Self.message, algorithm: .hs512) } == .invalidKey)
        #expect(Self.code { try secret.checkUsable(with: .hs256) } == nil)
        #expect(secret.isCompatible(with: .hs512))

        let p256 = try CryptoKey.generate(.ec(.p256))
        #expect(p256.isCompatible(with: .es256) && !p256.isCompatible(with: .es384) && !p256.isCompatible(with: .rs256))
        #expect(Self.code { try p256.checkUsable(with: .es384) } == .invalidKey)
        #expect(Self.code { try p256.checkUsable(with: .eddsa) } == .invalidKey)
        #expect(Self.code { _ = try p256.verify(signature: [0], signingInput: Self.message, algorithm: .hs256) } == .invalidKey)
        let ed = try CryptoKey.generate(.okp(.ed25519))
        #expect(ed.isCompatible(with: .eddsa) && !ed.isCompatible(with: .es256))
        #expect(Self.code { _ = try ed.publicKey.sign(Self.message, algorithm: .eddsa) } == .invalidKey)
        #expect(Self.code { _ = try secret.pem() } == .invalidKey)
        #expect(Self.code { _ = try secret.jwk() } == .invalidKey)
    }

    static let orders: [(JWSAlgorithm, String)] = [
        (.es256, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
        (.es384, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973"),
        (.es512, "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409"),
    ]

    @Test("ECDSA r and s outside 1…n−1 (CVE-2022-21449)", arguments: orders)
    func ecdsaRange(_ algorithm: JWSAlgorithm, _ orderHex: String) throws {
        let key = try CryptoKey.generate(for: algorithm)
        let signature = try key.sign(Self.message, algorithm: algorithm)
        let size = signature.count / 2
        let r = Array(signature[..<size]), s = Array(signature[size...])
        let zero = [UInt8](repeating: 0, count: size)
        let n = Bytes.hex(orderHex)
        #expect(try key.verify(signature: r + s, signingInput: Self.message, algorithm: algorithm))
        for candidate in [zero + s, r + zero, zero + zero, n + s, r + n, n + n] {
            #expect(try !key.verify(signature: candidate, signingInput: Self.message, algorithm: algorithm))
        }
        // r + n and s + n (the same residues, not reduced) are refused as well when they fit.
        #expect(try !key.verify(signature: [0] + signature, signingInput: Self.message, algorithm: algorithm))
        #expect(try !key.verify(signature: Array(signature.dropLast()), signingInput: Self.message, algorithm: algorithm))
    }

    @Test("wrong signature lengths verify as false", arguments: JWSAlgorithm.all)
    func wrongLengths(_ algorithm: JWSAlgorithm) throws {
        let key = try CryptoKey.generate(for: algorithm)
        let signature = try key.sign(Self.message, algorithm: algorithm)
        for candidate in [[], Array(signature.dropLast()), signature + [0], signature + signature] {
            #expect(try !key.verify(signature: candidate, signingInput: Self.message, algorithm: algorithm))
        }
        if algorithm.family == .hmac {
            // A truncated tag (the prefix of the right one) is not accepted.
            #expect(try !key.verify(signature: signature.prefix(16), signingInput: Self.message, algorithm: algorithm))
        }
    }

    @Test("PSS signatures with another salt length are refused")
    func pssSaltLength() throws {
        // RFC 7518 §3.5: the salt is as long as the hash. A PS256 key verifying a PS384
        // signature (salt 48) must fail, as must PKCS #1 v1.5 signatures.
        let key = try CryptoKey.generate(.rsa(bits: 2048))
        let ps384 = try key.sign(Self.message, algorithm: .ps384)
        #expect(try !key.verify(signature: ps384, signingInput: Self.message, algorithm: .ps256))
        let rs256 = try key.sign(Self.message, algorithm: .rs256)
        #expect(try !key.verify(signature: rs256, signingInput: Self.message, algorithm: .ps256))
    }

    @Test("undecodable PEM and DER are malformed")
    func undecodable() throws {
        #expect(Self.code { _ = try CryptoKey(pem: "not a key") } == .malformed)
        #expect(Self.code { _ = try CryptoKey(pem: "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n") } == .malformed)
        #expect(Self.code { _ = try CryptoKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") } == .malformed)
        #expect(Self.code { _ = try CryptoKey(pem: "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n") } == .malformed)
        #expect(Self.code { _ = try CryptoKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n") } == .malformed)
        let der = try CryptoKey.generate(.ec(.p256)).der()
        #expect(Self.code { _ = try CryptoKey(der: der + [0], format: .spki) } == .malformed)
        #expect(Self.code { _ = try CryptoKey(der: der, format: .pkcs8) } == .malformed)
        #expect(Self.code { _ = try CryptoKey(der: [], format: .spki) } == .malformed)
        #expect(Self.code { _ = try CryptoKey(der: der, format: .x509Certificate) } == .malformed)
    }
}
