import ArgumentParser
import Foundation
import Portcullis

/// `portcullis sign`: mint a token.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Mint a signed JWT.",
        discussion: """
            Claims come from --claims (JSON text, @FILE, or - for standard input) and the convenience
            options. iat and exp are added unless present (exp = iat + --expires-in).
            Example: portcullis sign --key key.jwk --alg ES256 --issuer https://issuer.example \\
                       --subject alice --audience api://completions --scope completions
            """
    )

    @Option(name: .long, help: ArgumentHelp("Private key file: JWK, JWK Set with one private key, or PEM.", valueName: "FILE"))
    var key: String

    @Option(name: .long, help: ArgumentHelp("Algorithm (default: the key's alg, else the usual one for the key type).", valueName: "ALG"))
    var alg: String?

    @Option(name: .long, help: ArgumentHelp("kid header (default: the key's kid, else its RFC 7638 thumbprint).", valueName: "KID"))
    var kid: String?

    @Option(name: .long, help: ArgumentHelp("typ header (default JWT; at+jwt for access tokens).", valueName: "TYP"))
    var type: String = "JWT"

    @Option(name: .long, help: ArgumentHelp("Claims as a JSON object, @FILE, or - for standard input.", valueName: "JSON"))
    var claims: String?

    @Option(name: .long, help: "iss claim.") var issuer: String?
    @Option(name: .long, help: "sub claim.") var subject: String?
    @Option(name: .long, help: "aud claim (repeatable).") var audience: [String] = []
    @Option(name: .long, help: "A scope for the scope claim (repeatable).") var scope: [String] = []
    @Option(name: .long, help: "Lifetime in seconds when exp is not given (default 3600).") var expiresIn: Int = 3_600
    @Option(name: .long, help: ArgumentHelp("Issue time in Unix seconds (default: now).", valueName: "UNIX_SECONDS")) var now: Int64?

    func run() throws {
        try Console.reportingUsageErrors(command: "sign") {
            let loaded = try KeyFiles.privateKey(inFile: key)
            let algorithm = try chooseAlgorithm(for: loaded)
            var claimSet = try readClaims()
            if let issuer { claimSet["iss"] = .string(issuer) }
            if let subject { claimSet["sub"] = .string(subject) }
            if audience.count == 1 { claimSet["aud"] = .string(audience[0]) }
            if audience.count > 1 { claimSet["aud"] = .array(audience.map { .string($0) }) }
            if !scope.isEmpty { claimSet["scope"] = .string(scope.joined(separator: " ")) }
            let issuedAt = now ?? Int64(Date().timeIntervalSince1970)
            if claimSet["iat"] == nil { claimSet["iat"] = .number(JSONNumber(issuedAt)) }
            if claimSet["exp"] == nil {
                let (exp, overflow) = issuedAt.addingReportingOverflow(Int64(expiresIn))
                guard !overflow else { throw ConfigurationError("--expires-in is out of range") }
                claimSet["exp"] = .number(JSONNumber(exp))
            }
            let keyID = try kid ?? loaded.keyID ?? Base64URL.encode(Digests.sha256(loaded.key.jwk().thumbprintInput()))
            let signer = try JWTSigner(key: loaded.key, algorithm: algorithm, keyID: keyID)
            Console.out(try signer.sign(claimSet, type: type))
        }
    }

    private func chooseAlgorithm(for loaded: LoadedKey) throws -> JWSAlgorithm {
        let name = alg ?? loaded.algorithm ?? KeygenCommand.defaultAlgorithm(for: loaded.key).name
        guard !JWSAlgorithm.isNone(name), let algorithm = JWSAlgorithm(name: name) else {
            throw ConfigurationError("unknown or unsupported algorithm \"\(name)\"")
        }
        if let keyAlg = loaded.algorithm, keyAlg != algorithm.name {
            throw ConfigurationError("the key is restricted to \(keyAlg) by its \"alg\"; cannot sign \(algorithm.name)")
        }
        return algorithm
    }

    private func readClaims() throws -> JSONObject {
        guard let claims else { return JSONObject() }
        let bytes: [UInt8]
        if claims == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else if claims.hasPrefix("@") {
            bytes = try RemoteDocument.readFile(String(claims.dropFirst()))
        } else {
            bytes = Array(claims.utf8)
        }
        do {
            return try JSONReader.parseObject(bytes)
        } catch {
            throw ConfigurationError("--claims is not a JSON object: \(error.message)")
        }
    }
}
