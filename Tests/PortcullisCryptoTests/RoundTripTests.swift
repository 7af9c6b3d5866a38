import Foundation
import PortcullisCrypto
import Synchronization
import PortcullisJOSE
import Testing

/// Sign → verify and export → import round trips with generated keys.
@Suite("Round trips")
struct RoundTripTests {
    static let message = Array(#"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyb3VuZC10cmlwIn0"#.utf8)

    @Test("sign then verify", arguments: JWSAlgorithm.all)
    func signThenVerify(_ algorithm: JWSAlgorithm) throws {
        let key = try CryptoKey.generate(for: algorithm)
        let signature = try key.sign(Self.message, algorithm: algorithm)
        #expect(try key.verify(signature: signature, signingInput: Self.message, algorithm: algorithm))
        #expect(try key.publicKey.verify(signature: signature, signingInput: Self.message, algorithm: algorithm))
        // Any change to the input or the signature makes verification fail.
        var tampered = signature
        tampered[tampered.count / 2] ^= 0x01
        #expect(try !key.verify(signature: tampered, signingInput: Self.message, algorithm: algorithm))
        #expect(try !key.verify(signature: signature, signingInput: Self.message + [0x2E], algorithm: algorithm))
        // Slices and other collections take the same path as arrays.
        let sliced = ([0xFF] + signature + [0xFF])[1...signature.count]
        #expect(try key.verify(signature: sliced, signingInput: Self.message[...], algorithm: algorithm))
        #expect(try key.verify(signature: signature, signingInput: String(decoding: Self.message, as: UTF8.self).utf8, algorithm: algorithm))
    }

    @Test("signature sizes", arguments: [
        (JWSAlgorithm.es256, 64), (.es384, 96), (.es512, 132), (.rs256, 256), (.ps384, 256), (.hs384, 48), (.eddsa, 64),
    ])
    func signatureSizes(_ algorithm: JWSAlgorithm, _ size: Int) throws {
        let key = try CryptoKey.generate(for: algorithm)
        for _ in 0..<4 {
            #expect(try key.sign(Self.message, algorithm: algorithm).count == size)
        }
    }

    @Test("Ed448 signs and verifies")
    func ed448() throws {
        let key = try CryptoKey.generate(.okp(.ed448))
        #expect(key.curve == .ed448 && key.bitCount == 456)
        let signature = try key.sign(Self.message, algorithm: .eddsa)
        #expect(signature.count == 114)
        #expect(try key.publicKey.verify(signature: signature, signingInput: Self.message, algorithm: .eddsa))
    }

    static let specs: [KeySpec] = [
        .rsa(bits: 2048), .ec(.p256), .ec(.p384), .ec(.p521), .okp(.ed25519), .okp(.ed448), .hmac(byteCount: 48),
    ]

    @Test("JWK export then import", arguments: specs)
    func jwkRoundTrip(_ spec: KeySpec) throws {
        let key = try CryptoKey.generate(spec)
        let algorithm = try #require(JWSAlgorithm.all.first { key.isCompatible(with: $0) })
        let signature = try key.sign(Self.message, algorithm: algorithm)

        let privateJWK = try key.jwk(includingPrivate: true)
        let reimported = try CryptoKey(jwk: privateJWK)
        #expect(reimported.isPrivate && reimported.keyType == key.keyType && reimported.curve == key.curve)
        #expect(reimported.bitCount == key.bitCount)
        #expect(try reimported.jwk(includingPrivate: true) == privateJWK)
        #expect(try reimported.verify(signature: try reimported.sign(Self.message, algorithm: algorithm), signingInput: Self.message, algorithm: algorithm))

        guard key.keyType != .octet else { return }
        let publicJWK = try key.jwk()
        #expect(publicJWK.d == nil && publicJWK.p == nil)
        let publicKey = try CryptoKey(jwk: publicJWK)
        #expect(!publicKey.isPrivate)
        #expect(try publicKey.jwk() == publicJWK)
        #expect(try publicKey.verify(signature: signature, signingInput: Self.message, algorithm: algorithm))
        if let curve = key.curve {
            #expect(publicJWK.x?.count == curve.coordinateByteCount)
            if !curve.isOctetKeyPair { #expect(publicJWK.y?.count == curve.coordinateByteCount) }
        }
        if key.keyType == .rsa {
            #expect(privateJWK.p != nil && privateJWK.q != nil && privateJWK.dp != nil && privateJWK.dq != nil && privateJWK.qi != nil)
        }
    }

    @Test("RSA private JWK with only d")
    func rsaWithoutCRT() throws {
        let full = try CryptoKey.generate(.rsa(bits: 2048)).jwk(includingPrivate: true)
        let minimal = JWK(keyType: "RSA", n: full.n, e: full.e, d: full.d)
        let key = try CryptoKey(jwk: minimal)
        #expect(key.isPrivate)
        let signature = try key.sign(Self.message, algorithm: .ps256)
        #expect(try CryptoKey(jwk: JWK(keyType: "RSA", n: full.n, e: full.e))
            .verify(signature: signature, signingInput: Self.message, algorithm: .ps256))
        #expect(try key.jwk(includingPrivate: true) == minimal)
    }

    @Test("PEM and DER export then import", arguments: specs.filter { if case .hmac = $0 { false } else { true } })
    func pemRoundTrip(_ spec: KeySpec) throws {
        let key = try CryptoKey.generate(spec)
        let algorithm = try #require(JWSAlgorithm.all.first { key.isCompatible(with: $0) })
        let signature = try key.sign(Self.message, algorithm: algorithm)

        let privatePEM = try key.pem(includingPrivate: true)
        #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let fromPEM = try CryptoKey(pem: privatePEM)
        #expect(fromPEM.isPrivate)
        #expect(try fromPEM.jwk(includingPrivate: true) == key.jwk(includingPrivate: true))

        let publicPEM = try key.pem()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let publicKey = try CryptoKey(pem: publicPEM)
        #expect(!publicKey.isPrivate)
        #expect(try publicKey.verify(signature: signature, signingInput: Self.message, algorithm: algorithm))

        let spki = try key.der()
        #expect(try CryptoKey(der: spki, format: .spki).jwk() == key.jwk())
        #expect(try key.publicKey.der() == spki)
        let pkcs8 = try key.der(includingPrivate: true)
        #expect(try CryptoKey(der: pkcs8, format: .pkcs8).jwk(includingPrivate: true) == key.jwk(includingPrivate: true))
        // A public key exports its public form even when asked for the private one.
        #expect(try publicKey.der(includingPrivate: true) == spki)
    }

    @Test("concurrent verification with one key", arguments: [JWSAlgorithm.hs256, .rs256, .ps512, .es256, .eddsa])
    func concurrent(_ algorithm: JWSAlgorithm) throws {
        let key = try CryptoKey.generate(for: algorithm)
        let signature = try key.sign(Self.message, algorithm: algorithm)
        let wrong = [signature[0] ^ 0x80] + signature.dropFirst()
        let publicKey = key.publicKey
        let outcomes = Mutex<[Bool]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var local: [Bool] = []
            for round in 0..<40 {
                let good = (round + worker) % 3 != 0
                let result = (try? publicKey.verify(
                    signature: good ? signature : wrong, signingInput: Self.message, algorithm: algorithm)) ?? !good
                local.append(result == good)
            }
            outcomes.withLock { $0 += local }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == 320)
        #expect(results.allSatisfy { $0 })
    }

    @Test("digests, random bytes and constant-time comparison")
    func utilities() throws {
        #expect(Digests.sha256(Array("abc".utf8)) == Bytes.hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(Digests.sha384([UInt8]()).count == 48)
        #expect(Digests.sha512(Array("abc".utf8)).prefix(4) == [0xdd, 0xaf, 0x35, 0xa1])
        let random = try SecureRandom.bytes(32)
        let other = try SecureRandom.bytes(32)
        #expect(random.count == 32 && random != other)
        #expect(ConstantTime.equals(random, random[...]))
        #expect(!ConstantTime.equals(random, random.dropLast()))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        let error = #expect(throws: PortcullisError.self) { try SecureRandom.bytes(-1) }
        #expect(error?.code == .malformed)
    }
}
