import ArgumentParser
import Foundation
import Portcullis

/// `portcullis verify`: the stable contract of DESIGN.md.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a JWT's signature and claims.",
        discussion: """
            Exit status: 0 accepted, 1 rejected, 2 usage or configuration error.
            Keys come from --jwks (a file or an https:// URL; http:// only for loopback). Without --jwks,
            --issuer is required and the keys are found through OpenID Connect discovery.
            """
    )

    @Option(name: .long, help: ArgumentHelp("JWK Set file or URL.", valueName: "FILE_OR_URL"))
    var jwks: String?

    @Option(name: .long, help: ArgumentHelp("Required issuer (exact match).", valueName: "ISS"))
    var issuer: String?

    @Option(name: .long, help: ArgumentHelp("Accepted audience.", valueName: "AUD"))
    var audience: String?

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated allowed algorithms (default: every algorithm the keys can verify).",
        valueName: "ALG1,ALG2"))
    var algorithms: String?

    @Option(name: .long, help: ArgumentHelp("A required scope (repeatable).", valueName: "S"))
    var scope: [String] = []

    @Option(name: .long, help: ArgumentHelp("Clock skew tolerance in seconds (default 60).", valueName: "SECONDS"))
    var leeway: String = "60"

    @Option(name: .long, help: ArgumentHelp("The current time, in (decimal) Unix seconds.", valueName: "UNIX_SECONDS"))
    var now: String?

    @Option(name: .long, help: ArgumentHelp("Expected typ header, e.g. at+jwt.", valueName: "TYP"))
    var type: String?

    @Option(name: .long, help: ArgumentHelp("Largest accepted token in bytes (default 65536).", valueName: "BYTES"))
    var maxTokenSize: Int = 65_536

    @Option(name: .long, help: ArgumentHelp(
        "JWK Set file or URL with private decryption keys: accept nested JWTs (a JWE with cty JWT carrying a JWS).",
        valueName: "FILE"))
    var decryptionKeys: String?

    @Flag(name: .long, help: "With --decryption-keys: refuse tokens that are not encrypted.")
    var requireEncryption = false

    @Flag(name: .long, help: "Print exactly one JSON object on standard output.")
    var json = false

    @Argument(help: ArgumentHelp("The token, or - to read it from standard input.", valueName: "TOKEN"))
    var token: String

    func run() async throws {
        let verifier: JWTVerifier
        let nested: NestedJWTVerifier?
        let compact: String
        do {
            compact = try TokenInput.read(token)
            verifier = try await makeVerifier()
            nested = try await makeNestedVerifier(verifier)
        } catch let error as ConfigurationError {
            reportConfigurationError(error.description)
            throw CLIExit.usage
        }
        do {
            if let nested {
                let verified = try nested.verify(compact)
                report(verified.token, outerHeader: verified.encryptionHeader?.json)
            } else {
                report(try verifier.verify(compact))
            }
        } catch {
            report(error)
            throw CLIExit.rejected
        }
    }

    /// With `--decryption-keys`, a verifier of nested tokens (RSA1_5 and PBES2-* never allowed).
    private func makeNestedVerifier(_ verifier: JWTVerifier) async throws -> NestedJWTVerifier? {
        guard let decryptionKeys else {
            if requireEncryption { throw ConfigurationError("--require-encryption needs --decryption-keys") }
            return nil
        }
        var configuration = DecryptionConfiguration()
        if let allowed = try parseAlgorithms().encryption { configuration.algorithms = allowed }
        configuration.maximumTokenSize = maxTokenSize
        let keys = try await EncryptionKeyFiles.decryptionKeys(from: decryptionKeys)
        return NestedJWTVerifier(
            decrypter: JWEDecrypter(keys: keys, configuration: configuration), verifier: verifier,
            requiresEncryption: requireEncryption)
    }

    private func makeVerifier() async throws -> JWTVerifier {
        let allowed = try parseAlgorithms().signature
        guard let leewaySeconds = Double(leeway), leewaySeconds.isFinite, leewaySeconds >= 0 else {
            throw ConfigurationError("--leeway must be a non-negative number of seconds, not \"\(leeway)\"")
        }
        let fixedNow = try now.map { value throws -> Double in
            guard let seconds = Double(value), seconds.isFinite, value.allSatisfy({ "0123456789.-+eE".contains($0) }) else {
                throw ConfigurationError("--now must be Unix seconds (integer or decimal), not \"\(value)\"")
            }
            return seconds
        }
        guard maxTokenSize > 0 else { throw ConfigurationError("--max-token-size must be positive") }

        let keys: KeySet
        if let jwks {
            keys = try await KeyFiles.keySet(from: jwks)
        } else if let issuer {
            keys = try await KeyFiles.keySet(discoveredFrom: issuer)
        } else {
            throw ConfigurationError("pass --jwks FILE_OR_URL, or --issuer to discover the issuer's keys")
        }

        let algorithms = allowed ?? Set(JWSAlgorithm.all.filter { algorithm in keys.keys.contains { $0.fits(algorithm) } })
        var configuration = VerifierConfiguration(
            algorithms: algorithms,
            issuers: issuer.map { [$0] } ?? [],
            audiences: audience.map { [$0] } ?? [],
            leeway: leewaySeconds)
        configuration.requiredScopes = scope
        configuration.expectedType = type
        configuration.maximumTokenSize = maxTokenSize
        if let fixedNow { configuration.clock = { NumericDate(fixedNow) } }
        return JWTVerifier(keys: keys, configuration: configuration)
    }

    /// `--algorithms`: unknown names and `none` are usage errors. With `--decryption-keys` the
    /// list may also name JWE key management algorithms (restricting the outer token), except
    /// RSA1_5 and PBES2-*, which nested tokens never use.
    private func parseAlgorithms() throws -> (signature: Set<JWSAlgorithm>?, encryption: Set<JWEAlgorithm>?) {
        guard let algorithms else { return (nil, nil) }
        var signature = Set<JWSAlgorithm>()
        var encryption = Set<JWEAlgorithm>()
        for name in algorithms.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if JWSAlgorithm.isNone(name) {
                throw ConfigurationError("--algorithms: \"\(name)\" is never allowed")
            }
            if decryptionKeys != nil, let algorithm = JWEAlgorithm(name: name) {
                guard !algorithm.isUnsafe else {
                    throw ConfigurationError("--algorithms: \(name) is never accepted for nested tokens")
                }
                encryption.insert(algorithm)
                continue
            }
            guard let algorithm = JWSAlgorithm(name: name) else {
                throw ConfigurationError(
                    "--algorithms: unknown algorithm \"\(name)\" (known: \(JWSAlgorithm.all.map(\.name).joined(separator: ", ")))")
            }
            signature.insert(algorithm)
        }
        guard !signature.isEmpty || !encryption.isEmpty else { throw ConfigurationError("--algorithms names no algorithm") }
        return (signature.isEmpty ? nil : signature, encryption.isEmpty ? nil : encryption)
    }

    private func reportConfigurationError(_ message: String) {
        Console.warn("portcullis verify: \(message)")
        if json {
            Console.out(JSONValue.object(["valid": .bool(false), "error": .string("configuration_error"), "message": .string(message)]).serializedString())
        }
    }

    private func report(_ token: VerifiedToken, outerHeader: JSONObject? = nil) {
        if json {
            var members: [JSONObject.Member] = [.init(name: "valid", value: .bool(true)), .init(name: "header", value: .object(token.header.json))]
            if let outerHeader { members.append(.init(name: "outer_header", value: .object(outerHeader))) }
            members.append(.init(name: "claims", value: .object(token.claims.json)))
            Console.out(JSONValue.object(JSONObject(uniqueMembers: members)).serializedString())
            return
        }
        var lines = ["✓ token accepted (\(token.algorithm.name)\(token.verifiedKeyID.map { ", key \"\($0)\"" } ?? ""))"]
        if let outerHeader {
            lines.append("  encrypted: \(outerHeader["alg"]?.stringValue ?? "?") + \(outerHeader["enc"]?.stringValue ?? "?")")
        }
        if let issuer = token.issuer { lines.append("  issuer:    \(issuer)") }
        if let subject = token.subject { lines.append("  subject:   \(subject)") }
        if !token.audience.isEmpty { lines.append("  audience:  \(token.audience.joined(separator: ", "))") }
        lines.append("  expires:   \(TimeText.describe(token.expiration.secondsSince1970, now: Date().timeIntervalSince1970))")
        if !token.scopes.isEmpty { lines.append("  scopes:    \(token.scopes.joined(separator: " "))") }
        if let clientID = token.clientID { lines.append("  client_id: \(clientID)") }
        Console.out(lines.joined(separator: "\n"))
    }

    private func report(_ error: PortcullisError) {
        if json {
            Console.out(JSONValue.object([
                "valid": .bool(false), "error": .string(error.code.rawValue), "message": .string(error.message),
            ]).serializedString())
        } else {
            Console.out("✗ token rejected: \(error.code.rawValue)\n  \(error.message)")
        }
    }
}

/// Reads the TOKEN argument.
enum TokenInput {
    /// The argument itself, or standard input for `-` (surrounding whitespace trimmed).
    static func read(_ argument: String) throws -> String {
        guard argument == "-" else { return argument }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard data.count <= 16 << 20 else { throw ConfigurationError("standard input is too large") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
