import Foundation
import Portcullis

extension InspectCommand {
    /// A JWE: its header is readable, its content is not (without the key).
    func inspectEncrypted(_ compact: String) throws {
        let jwe: JWECompact
        do {
            jwe = try JWECompact.parse(compact)
        } catch {
            if json {
                Console.out(JSONValue.object(["error": .string(error.code.rawValue), "message": .string(error.message)]).serializedString())
            } else {
                Console.out("✗ cannot decode: \(error.code.rawValue): \(error.message)")
            }
            throw CLIExit.rejected
        }
        let warnings = Self.warnings(encryptedHeader: jwe.header)
        if json {
            Console.out(JSONValue.object([
                "header": .object(jwe.header.json), "encrypted": .bool(true),
                "warnings": .array(warnings.map { .string($0) }), "verified": .bool(false),
            ]).serializedString())
            return
        }
        var lines = ["Header of an encrypted token (JWE, NOT verified):", JSONValue.object(jwe.header.json).prettyPrinted(),
                     "Content: \(jwe.ciphertext.count) encrypted bytes; read it with `portcullis decrypt` or `portcullis verify --decryption-keys`"]
        if !warnings.isEmpty {
            lines.append("Warnings:")
            lines += warnings.map { "  ! \($0)" }
        }
        Console.out(lines.joined(separator: "\n"))
    }

    /// What deserves attention in a JWE header.
    static func warnings(encryptedHeader header: JWEHeader) -> [String] {
        var warnings: [String] = []
        if let algorithm = JWEAlgorithm(name: header.algorithm) {
            if algorithm.isUnsafe {
                warnings.append("\(algorithm.name) is refused unless allowed explicitly (padding oracles for RSA1_5; password guessing and chosen cost for PBES2)")
            }
        } else {
            warnings.append("alg \"\(header.algorithm)\" is not a supported key management algorithm")
        }
        if JWEEncryption(name: header.encryption) == nil {
            warnings.append("enc \"\(header.encryption)\" is not a supported content encryption algorithm")
        }
        if let count = header.pbes2Count, count > DecryptionConfiguration.pbes2CountCeiling {
            warnings.append("p2c \(count) is above \(DecryptionConfiguration.pbes2CountCeiling): Portcullis refuses it")
        }
        if header.compression != nil {
            warnings.append("zip is set: the content is compressed before encryption, which can leak it through the length")
        }
        for name in ["jku", "x5u", "jwk", "x5c"] where header.json[name] != nil {
            warnings.append("header \"\(name)\" is present: it points at or embeds key material, which must never be trusted (RFC 8725 §3.10)")
        }
        if header.contentType.map({ $0.lowercased() == "jwt" || $0.lowercased() == "application/jwt" }) == true {
            warnings.append("cty is JWT: a nested token; its signature is checked only by `verify --decryption-keys`")
        }
        return warnings
    }
}
