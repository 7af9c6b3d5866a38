import ArgumentParser
import Foundation
import Portcullis

/// `portcullis encrypt`: make a compact JWE.
struct EncryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a plaintext (for example a signed JWT) to a recipient key as a compact JWE.",
        discussion: """
            Example (a nested JWT): portcullis sign --key sig.jwk … | portcullis encrypt --key enc-pub.json --cty JWT -
            """
    )

    @Option(name: .long, help: ArgumentHelp("Recipient key: a JWK or JWK Set (public key, or secret for A*KW/dir).", valueName: "FILE"))
    var key: String

    @Option(name: .long, help: ArgumentHelp("Key management algorithm (default: the key's alg, else RSA-OAEP-256 / ECDH-ES / A256KW).", valueName: "ALG"))
    var alg: String?

    @Option(name: .long, help: ArgumentHelp("Content encryption algorithm (default A256GCM).", valueName: "ENC"))
    var enc: String = "A256GCM"

    @Option(name: .long, help: ArgumentHelp("kid header (default: the key's kid).", valueName: "KID"))
    var kid: String?

    @Option(name: .long, help: ArgumentHelp("cty header; JWT for a nested token.", valueName: "CTY"))
    var cty: String?

    @Flag(name: .long, help: "Compress the plaintext with DEFLATE first (zip: DEF).")
    var zip = false

    @Argument(help: ArgumentHelp("The plaintext, or - to read it from standard input (a trailing newline is removed).", valueName: "PLAINTEXT"))
    var plaintext: String

    func run() throws {
        try Console.reportingUsageErrors(command: "encrypt") {
            let (recipient, jwk) = try EncryptionKeyFiles.recipientKey(inFile: key, keyID: kid)
            let name = alg ?? jwk.algorithm ?? Self.defaultAlgorithm(for: recipient)
            guard let algorithm = JWEAlgorithm(name: name) else {
                throw ConfigurationError("unknown key management algorithm \"\(name)\" (known: \(JWEAlgorithm.all.map(\.name).joined(separator: ", ")))")
            }
            guard let encryption = JWEEncryption(name: enc) else {
                throw ConfigurationError("unknown content encryption \"\(enc)\" (known: \(JWEEncryption.all.map(\.name).joined(separator: ", ")))")
            }
            if let keyAlg = jwk.algorithm, keyAlg != algorithm.name, !(algorithm == .direct && keyAlg == encryption.name) {
                throw ConfigurationError("the key is restricted to \(keyAlg) by its \"alg\"; cannot use \(algorithm.name)")
            }
            var content: [UInt8]
            if plaintext == "-" {
                content = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                if content.last == UInt8(ascii: "\n") { content.removeLast() }
            } else {
                content = Array(plaintext.utf8)
            }
            let encrypter = try JWEEncrypter(key: recipient, keyID: kid ?? jwk.keyID, algorithm: algorithm, encryption: encryption)
            Console.out(try encrypter.encrypt(content, contentType: cty, compress: zip))
        }
    }

    static func defaultAlgorithm(for key: EncryptionKey) -> String {
        switch key.keyType {
        case .rsa: JWEAlgorithm.rsaOAEP256.name
        case .ec, .okp: JWEAlgorithm.ecdhES.name
        case .octet: JWEAlgorithm.a256KW.name
        }
    }
}
