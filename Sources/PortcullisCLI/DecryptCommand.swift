import ArgumentParser
import Foundation
import Portcullis

/// `portcullis decrypt`: the stable contract of DESIGN.md ("Encrypted tokens").
struct DecryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt a compact JWE and print its plaintext.",
        discussion: """
            Exit status: 0 decrypted, 1 refused, 2 usage or configuration error.
            RSA1_5 and PBES2-* are refused unless named in --algorithms. Every failure to unwrap the key
            or to authenticate the content is decryption_failed, with one message.
            """
    )

    @Option(name: .long, help: ArgumentHelp("JWK Set file or URL with the private decryption keys.", valueName: "JWKS_FILE"))
    var keys: String

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated allowed key management algorithms (default: all but RSA1_5 and PBES2-*).", valueName: "ALG,…"))
    var algorithms: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated allowed content encryption algorithms (default: all).", valueName: "ENC,…"))
    var encryptions: String?

    @Option(name: .long, help: ArgumentHelp("Largest accepted plaintext after zip inflation, inclusive (default 262144).", valueName: "BYTES"))
    var maxDecompressedSize: Int = 262_144

    @Option(name: .long, help: ArgumentHelp("Largest accepted token in bytes (default 65536).", valueName: "BYTES"))
    var maxTokenSize: Int = 65_536

    @Flag(name: .long, help: "Print exactly one JSON object on standard output.")
    var json = false

    @Argument(help: ArgumentHelp("The token, or - to read it from standard input.", valueName: "TOKEN"))
    var token: String

    func run() async throws {
        let decrypter: JWEDecrypter
        let compact: String
        do {
            compact = try TokenInput.read(token)
            decrypter = JWEDecrypter(keys: try await EncryptionKeyFiles.decryptionKeys(from: keys), configuration: try configuration())
        } catch let error as ConfigurationError {
            Console.warn("portcullis decrypt: \(error.description)")
            if json {
                Console.out(JSONValue.object([
                    "valid": .bool(false), "error": .string("configuration_error"), "message": .string(error.description),
                ]).serializedString())
            }
            throw CLIExit.usage
        }
        let decrypted: DecryptedJWE
        do {
            decrypted = try decrypter.decrypt(compact)
        } catch {
            if json {
                Console.out(JSONValue.object([
                    "valid": .bool(false), "error": .string(error.code.rawValue), "message": .string(error.message),
                ]).serializedString())
            } else {
                Console.out("✗ token refused: \(error.code.rawValue)\n  \(error.message)")
            }
            throw CLIExit.rejected
        }
        let text = String(validating: decrypted.plaintext, as: UTF8.self)
        if json {
            var members: [JSONObject.Member] = [.init(name: "valid", value: .bool(true)), .init(name: "header", value: .object(decrypted.header.json))]
            if let text {
                members.append(.init(name: "plaintext", value: .string(text)))
            } else {
                members.append(.init(name: "plaintext_b64", value: .string(Base64URL.encode(decrypted.plaintext))))
            }
            Console.out(JSONValue.object(JSONObject(uniqueMembers: members)).serializedString())
        } else {
            FileHandle.standardOutput.write(Data(decrypted.plaintext))
            if text != nil, decrypted.plaintext.last != UInt8(ascii: "\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
        }
    }

    private func configuration() throws -> DecryptionConfiguration {
        guard maxTokenSize > 0 else { throw ConfigurationError("--max-token-size must be positive") }
        guard maxDecompressedSize >= 0 else { throw ConfigurationError("--max-decompressed-size must not be negative") }
        var configuration = DecryptionConfiguration()
        if let allowed = try EncryptionKeyFiles.names(
            algorithms, option: "--algorithms", known: JWEAlgorithm.all.map(\.name), lookup: JWEAlgorithm.init(name:)) {
            configuration.algorithms = Set(allowed)
        }
        if let allowed = try EncryptionKeyFiles.names(
            encryptions, option: "--encryptions", known: JWEEncryption.all.map(\.name), lookup: JWEEncryption.init(name:)) {
            configuration.encryptions = Set(allowed)
        }
        configuration.maximumTokenSize = maxTokenSize
        configuration.maximumDecompressedSize = maxDecompressedSize
        return configuration
    }
}
