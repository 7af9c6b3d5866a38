import Foundation
import PortcullisCrypto
import PortcullisJOSE
import Testing

/// PEM and DER fixtures made at test time by the `openssl` command-line tool, and signatures it
/// makes, read by PortcullisCrypto (and the other way round).
@Suite("OpenSSL CLI interop", .enabled(if: OpenSSLCLI.isAvailable, "the openssl command-line tool is not installed"))
struct OpenSSLInteropTests {
    static let message = Array("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJvcGVuc3NsIn0".utf8)

    /// A key made by `openssl genpkey`, its other encodings, and a signature over ``message``.
    struct Fixture {
        let directory: URL

        init(genpkey arguments: [String]) async throws {
            directory = try OpenSSLCLI.temporaryDirectory()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(OpenSSLInteropTests.message).write(to: directory.appendingPathComponent("message"))
            try await OpenSSLCLI.run(["genpkey"] + arguments + ["-out", "key.pem"], in: directory)
            try await OpenSSLCLI.run(["pkey", "-in", "key.pem", "-pubout", "-out", "public.pem"], in: directory)
            // `pkey -outform DER` writes the traditional form for RSA and EC; `pkcs8 -topk8` is PKCS #8.
            try await OpenSSLCLI.run(["pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der"], in: directory)
            try await OpenSSLCLI.run(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "public.der"], in: directory)
        }

        func text(_ name: String) throws -> String { try OpenSSLCLI.read(name, in: directory) }
        func bytes(_ name: String) throws -> [UInt8] { try OpenSSLCLI.readBytes(name, in: directory) }
        func run(_ arguments: [String]) async throws { try await OpenSSLCLI.run(arguments, in: directory) }
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("RSA: PKCS #8, PKCS #1, SPKI, certificate; openssl signatures verify; ours verify in openssl")
    func rsa() async throws {
        let fixture = try await Fixture(genpkey: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        defer { fixture.remove() }
        try await fixture.run(["pkey", "-in", "key.pem", "-traditional", "-out", "pkcs1.pem"])
        try await fixture.run(["pkey", "-in", "key.pem", "-traditional", "-outform", "DER", "-out", "pkcs1.der"])
        try await fixture.run(["rsa", "-in", "key.pem", "-RSAPublicKey_out", "-out", "pkcs1-public.pem"])
        try await fixture.run(["rsa", "-in", "key.pem", "-RSAPublicKey_out", "-outform", "DER", "-out", "pkcs1-public.der"])
        try await fixture.run(["req", "-x509", "-new", "-key", "key.pem", "-subj", "/CN=portcullis", "-days", "1", "-out", "cert.pem"])
        try await fixture.run(["x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der"])
        try await fixture.run(["dgst", "-sha256", "-sign", "key.pem", "-out", "rs256.sig", "message"])
        try await fixture.run(["dgst", "-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:48",
                         "-sign", "key.pem", "-out", "ps384.sig", "message"])

        #expect(try fixture.text("pkcs1.pem").contains("BEGIN RSA PRIVATE KEY"))
        #expect(try fixture.text("pkcs1-public.pem").contains("BEGIN RSA PUBLIC KEY"))
        let reference = try CryptoKey(pem: fixture.text("key.pem"))
        #expect(reference.isPrivate && reference.keyType == .rsa && reference.bitCount == 2048)
        let privateJWK = try reference.jwk(includingPrivate: true)
        let publicJWK = try reference.jwk()
        let privateKeys = [
            try CryptoKey(pem: fixture.text("pkcs1.pem")),
            try CryptoKey(der: fixture.bytes("pkcs1.der"), format: .pkcs1Private),
            try CryptoKey(der: fixture.bytes("key.der"), format: .pkcs8),
        ]
        for key in privateKeys { #expect(try key.jwk(includingPrivate: true) == privateJWK) }
        let publicKeys = [
            reference,
            try CryptoKey(pem: fixture.text("public.pem")),
            try CryptoKey(pem: fixture.text("pkcs1-public.pem")),
            try CryptoKey(pem: fixture.text("cert.pem")),
            try CryptoKey(der: fixture.bytes("public.der"), format: .spki),
            try CryptoKey(der: fixture.bytes("pkcs1-public.der"), format: .pkcs1Public),
            try CryptoKey(der: fixture.bytes("cert.der"), format: .x509Certificate),
        ]
        let rs256 = try fixture.bytes("rs256.sig")
        let ps384 = try fixture.bytes("ps384.sig")
        for key in publicKeys {
            #expect(try key.jwk() == publicJWK)
            #expect(try key.verify(signature: rs256, signingInput: Self.message, algorithm: .rs256))
            #expect(try key.verify(signature: ps384, signingInput: Self.message, algorithm: .ps384))
            #expect(try !key.verify(signature: rs256, signingInput: Self.message, algorithm: .ps256))
        }

        // openssl verifies what PortcullisCrypto signs, from the public PEM PortcullisCrypto wrote.
        try Data(reference.pem().utf8).write(to: fixture.directory.appendingPathComponent("ours.pem"))
        try Data(reference.sign(Self.message, algorithm: .rs256)).write(to: fixture.directory.appendingPathComponent("ours.sig"))
        try await fixture.run(["dgst", "-sha256", "-verify", "ours.pem", "-signature", "ours.sig", "message"])
        try Data(reference.sign(Self.message, algorithm: .ps256)).write(to: fixture.directory.appendingPathComponent("ours-pss.sig"))
        try await fixture.run(["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                         "-verify", "ours.pem", "-signature", "ours-pss.sig", "message"])
    }

    @Test("EC: PKCS #8, SEC 1 (with EC PARAMETERS), SPKI, certificate; DER signatures convert", arguments: [
        ("P-256", "prime256v1", JWSAlgorithm.es256, "-sha256"), ("P-384", "secp384r1", .es384, "-sha384"),
        ("P-521", "secp521r1", .es512, "-sha512"),
    ])
    func ec(_ curve: String, _ group: String, _ algorithm: JWSAlgorithm, _ digest: String) async throws {
        let fixture = try await Fixture(genpkey: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:\(curve)"])
        defer { fixture.remove() }
        try await fixture.run(["pkey", "-in", "key.pem", "-traditional", "-out", "sec1.pem"])
        try await fixture.run(["pkey", "-in", "key.pem", "-traditional", "-outform", "DER", "-out", "sec1.der"])
        try await fixture.run(["ecparam", "-name", group, "-genkey", "-out", "ecparam.pem"])
        try await fixture.run(["req", "-x509", "-new", "-key", "key.pem", "-subj", "/CN=portcullis", "-days", "1", "-out", "cert.pem"])
        try await fixture.run(["dgst", digest, "-sign", "key.pem", "-out", "signature.der", "message"])

        #expect(try fixture.text("sec1.pem").contains("BEGIN EC PRIVATE KEY"))
        #expect(try fixture.text("ecparam.pem").contains("BEGIN EC PARAMETERS"))
        let reference = try CryptoKey(pem: fixture.text("key.pem"))
        #expect(reference.curve == algorithm.curve && reference.isPrivate)
        #expect(try CryptoKey(pem: fixture.text("sec1.pem")).jwk(includingPrivate: true) == reference.jwk(includingPrivate: true))
        #expect(try CryptoKey(der: fixture.bytes("sec1.der"), format: .sec1).jwk(includingPrivate: true) == reference.jwk(includingPrivate: true))
        let generated = try CryptoKey(pem: fixture.text("ecparam.pem"))
        #expect(generated.isPrivate && generated.curve == algorithm.curve)

        let size = try #require(algorithm.curve).coordinateByteCount
        let signature = try #require(joseSignature(fromDER: fixture.bytes("signature.der"), size: size))
        for key in [
            reference, try CryptoKey(pem: fixture.text("public.pem")), try CryptoKey(pem: fixture.text("cert.pem")),
            try CryptoKey(der: fixture.bytes("public.der"), format: .spki),
        ] {
            #expect(try key.verify(signature: signature, signingInput: Self.message, algorithm: algorithm))
        }
    }

    @Test("Ed25519 and Ed448: PKCS #8 and SPKI; openssl signatures verify", arguments: ["ED25519", "ED448"])
    func eddsa(_ name: String) async throws {
        let fixture = try await Fixture(genpkey: ["-algorithm", name])
        defer { fixture.remove() }
        try await fixture.run(["pkeyutl", "-sign", "-rawin", "-inkey", "key.pem", "-in", "message", "-out", "signature"])
        let key = try CryptoKey(pem: fixture.text("key.pem"))
        #expect(key.keyType == .okp && key.curve == (name == "ED25519" ? .ed25519 : .ed448))
        let publicKey = try CryptoKey(pem: fixture.text("public.pem"))
        let signature = try fixture.bytes("signature")
        #expect(try publicKey.verify(signature: signature, signingInput: Self.message, algorithm: .eddsa))
        // EdDSA is deterministic: PortcullisCrypto produces the same signature.
        #expect(try key.sign(Self.message, algorithm: .eddsa) == signature)
        #expect(try CryptoKey(der: fixture.bytes("key.der"), format: .pkcs8).jwk(includingPrivate: true) == key.jwk(includingPrivate: true))
    }

    @Test("encrypted PEM is refused with a clear message")
    func encryptedPEM() async throws {
        let fixture = try await Fixture(genpkey: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        defer { fixture.remove() }
        try await fixture.run(["pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-out", "pkcs8-encrypted.pem"])
        try await fixture.run(["pkey", "-in", "key.pem", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "sec1-encrypted.pem"])
        #expect(try fixture.text("pkcs8-encrypted.pem").contains("ENCRYPTED PRIVATE KEY"))
        #expect(try fixture.text("sec1-encrypted.pem").contains("Proc-Type: 4,ENCRYPTED"))
        for name in ["pkcs8-encrypted.pem", "sec1-encrypted.pem"] {
            let text = try fixture.text(name)
            let error = #expect(throws: PortcullisError.self) { try CryptoKey(pem: text) }
            #expect(error?.code == .invalidKey)
            #expect(error?.message.contains("encrypted") == true)
        }
    }
}
