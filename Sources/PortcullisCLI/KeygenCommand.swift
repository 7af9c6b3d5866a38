import ArgumentParser
import Foundation
import Portcullis

/// `portcullis keygen`: a new private JWK and its public JWK Set.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a signing or encryption key: a private JWK and its public JWK Set.",
        discussion: """
            Without --private-out/--public-out, prints {"private_jwk": {...}, "public_jwks": {"keys": [...]}}.
            With them, writes the files (the private one readable by its owner only).
            JWE algorithms (RSA-OAEP-256, ECDH-ES, A256KW, dir, …) make "use": "enc" keys; for dir, --enc
            picks the content encryption the key is for; for ECDH-ES*, --curve is P-256 (default), P-384,
            P-521 or X25519.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Algorithm the key is for (HS256 … EdDSA).", valueName: "ALG"))
    var alg: String

    @Option(name: .long, help: ArgumentHelp("kid (default: the RFC 7638 thumbprint).", valueName: "KID"))
    var kid: String?

    @Option(name: .long, help: "RSA modulus size in bits (RS*/PS*; default 2048).")
    var bits: Int = 2_048

    @Option(name: .long, help: "Curve for EdDSA: Ed25519 (default) or Ed448; for ECDH-ES*: P-256 (default), P-384, P-521, X25519.")
    var curve: String?

    @Option(name: .long, help: ArgumentHelp("Content encryption a dir key is for (default A256GCM).", valueName: "ENC"))
    var enc: String = "A256GCM"

    @Option(name: .long, help: ArgumentHelp("Write the private JWK here.", valueName: "FILE"))
    var privateOut: String?

    @Option(name: .long, help: ArgumentHelp("Write the public JWK Set here.", valueName: "FILE"))
    var publicOut: String?

    func run() throws {
        try Console.reportingUsageErrors(command: "keygen") {
            if let algorithm = JWEAlgorithm(name: alg) {
                try generateEncryptionKey(algorithm)
                return
            }
            guard !JWSAlgorithm.isNone(alg), let algorithm = JWSAlgorithm(name: alg) else {
                let known = JWSAlgorithm.all.map(\.name) + JWEAlgorithm.all.map(\.name)
                throw ConfigurationError("unknown algorithm \"\(alg)\" (known: \(known.joined(separator: ", ")))")
            }
            let key = try Self.generate(for: algorithm, bits: bits, curve: curve ?? "Ed25519")
            var privateJWK = try key.jwk(includingPrivate: true)
            let keyID = try kid ?? Base64URL.encode(Digests.sha256(privateJWK.thumbprintInput()))
            privateJWK.keyID = keyID
            privateJWK.algorithm = algorithm.name
            privateJWK.use = "sig"
            let publicSet = try JWKSCommand.publicSet([LoadedKey(key: key, keyID: keyID, algorithm: algorithm.name)])
            if algorithm.family == .hmac {
                Console.warn("note: \(algorithm.name) keys are shared secrets; the verification key set contains the secret itself")
            }
            // An HMAC key verifies with its own secret, so its "public" set must carry `k`.
            try emit(privateJWK, publicSet, isSecret: algorithm.family == .hmac, name: algorithm.name, keyID: keyID)
        }
    }

    /// A JWE key (`use: enc`): RSA for RSA-OAEP*, EC or X25519 for ECDH-ES*, a secret otherwise.
    private func generateEncryptionKey(_ algorithm: JWEAlgorithm) throws {
        let spec: EncryptionKeySpec
        switch algorithm.family {
        case .rsaPKCS1, .rsaOAEP:
            guard (2_048...16_384).contains(bits) else { throw ConfigurationError("--bits must be between 2048 and 16384") }
            spec = .rsa(bits: bits)
        case .ecdhES, .ecdhESKeyWrap:
            guard let agreement = EncryptionKey.Curve(rawValue: curve ?? "P-256") else {
                throw ConfigurationError("--curve must be P-256, P-384, P-521 or X25519 for \(algorithm.name)")
            }
            spec = .agreement(agreement)
        case .aesKeyWrap, .aesGCMKeyWrap:
            spec = .secret(byteCount: algorithm.keyWrapByteCount ?? 32)
        case .direct:
            guard let encryption = JWEEncryption(name: enc) else { throw ConfigurationError("unknown --enc \"\(enc)\"") }
            spec = .secret(byteCount: encryption.keyByteCount)
        case .pbes2:
            spec = .secret(byteCount: 32)
        }
        let key = try EncryptionKey.generate(spec)
        var privateJWK = try key.jwk(includingPrivate: true)
        let keyID = try kid ?? Base64URL.encode(Digests.sha256(privateJWK.thumbprintInput()))
        privateJWK.keyID = keyID
        privateJWK.algorithm = algorithm.name
        privateJWK.use = "enc"
        var publicJWK = key.keyType == .octet ? privateJWK : try key.jwk()
        publicJWK.keyID = keyID
        publicJWK.algorithm = algorithm.name
        publicJWK.use = "enc"
        if key.keyType == .octet {
            Console.warn("note: \(algorithm.name) keys are shared secrets; the \"public\" key set contains the secret itself")
        }
        try emit(privateJWK, JWKSet(keys: [publicJWK]), isSecret: key.keyType == .octet, name: algorithm.name, keyID: keyID)
    }

    /// Prints or writes the private JWK and the public set.
    private func emit(_ privateJWK: JWK, _ publicSet: JWKSet, isSecret: Bool, name: String, keyID: String) throws {
        do {
            let privateText = JSONValue.object(privateJWK.jsonObject(includingPrivate: true)).prettyPrinted()
            let publicText = JSONValue.object(publicSet.jsonObject(includingPrivate: isSecret)).prettyPrinted()
            if privateOut == nil && publicOut == nil {
                Console.out(JSONValue.object([
                    "private_jwk": .object(privateJWK.jsonObject(includingPrivate: true)),
                    "public_jwks": .object(publicSet.jsonObject(includingPrivate: isSecret)),
                ]).prettyPrinted())
                return
            }
            if let privateOut { try Self.write(privateText, to: privateOut, permissions: 0o600) }
            if let publicOut { try Self.write(publicText, to: publicOut, permissions: 0o644) }
            if privateOut == nil { Console.out(privateText) }
            if publicOut == nil { Console.out(publicText) }
            Console.warn("generated \(name) key \"\(keyID)\"")
        }
    }

    static func generate(for algorithm: JWSAlgorithm, bits: Int, curve: String) throws -> CryptoKey {
        switch algorithm.family {
        case .rsaPKCS1, .rsaPSS:
            guard (2_048...16_384).contains(bits) else { throw ConfigurationError("--bits must be between 2048 and 16384") }
            return try CryptoKey.generate(.rsa(bits: bits))
        case .eddsa:
            guard let okp = JWKCurve(name: curve), okp.isOctetKeyPair else {
                throw ConfigurationError("--curve must be Ed25519 or Ed448 for EdDSA")
            }
            return try CryptoKey.generate(.okp(okp))
        default:
            return try CryptoKey.generate(for: algorithm)
        }
    }

    /// The algorithm a key is usually used with.
    static func defaultAlgorithm(for key: CryptoKey) -> JWSAlgorithm {
        switch key.keyType {
        case .octet: key.bitCount >= 512 ? .hs512 : key.bitCount >= 384 ? .hs384 : .hs256
        case .rsa: .rs256
        case .ec: key.curve == .p384 ? .es384 : key.curve == .p521 ? .es512 : .es256
        case .okp: .eddsa
        }
    }

    static func write(_ text: String, to path: String, permissions: Int) throws {
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: permissions])
        guard created else { throw ConfigurationError("cannot write \(path)") }
    }
}
