import ArgumentParser
import Foundation
import Portcullis

/// `portcullis jwks`: the public JWK Set to publish for a set of private keys.
struct JWKSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwks",
        abstract: "Print the public JWK Set for private key files (JWK, JWK Set or PEM).",
        discussion: "Each key keeps its kid and alg; keys without a kid get their RFC 7638 thumbprint."
    )

    @Argument(help: ArgumentHelp("Key files.", valueName: "FILE"))
    var files: [String]

    func run() throws {
        try Console.reportingUsageErrors(command: "jwks") {
            var loaded: [LoadedKey] = []
            for file in files { loaded += try KeyFiles.keys(inFile: file) }
            guard !loaded.isEmpty else { throw ConfigurationError("no keys given") }
            if loaded.contains(where: { $0.key.keyType == .octet }) {
                throw ConfigurationError("HMAC (oct) keys are secrets and are never published in a JWK Set")
            }
            Console.out(JSONValue.object(try Self.publicSet(loaded).jsonObject(includingPrivate: false)).prettyPrinted())
        }
    }

    /// Verification JWKs with `kid`, `alg` and `use: sig`: the public half of asymmetric keys; an
    /// HMAC key is its own verification key, so its secret stays in (`keygen` warns about that).
    static func publicSet(_ keys: [LoadedKey]) throws -> JWKSet {
        let jwks = try keys.map { loaded throws -> JWK in
            let isSecret = loaded.key.keyType == .octet
            var jwk = try isSecret ? loaded.key.jwk(includingPrivate: true) : loaded.key.publicKey.jwk(includingPrivate: false)
            jwk.keyID = try loaded.keyID ?? Base64URL.encode(Digests.sha256(jwk.thumbprintInput()))
            jwk.algorithm = loaded.algorithm ?? KeygenCommand.defaultAlgorithm(for: loaded.key).name
            jwk.use = "sig"
            return jwk
        }
        return JWKSet(keys: jwks)
    }
}
