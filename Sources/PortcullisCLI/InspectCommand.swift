import ArgumentParser
import Foundation
import Portcullis

/// `portcullis inspect`: decode a token without verifying it, and point out what looks risky.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Decode a token WITHOUT verifying it; show its times and warn about risky headers.",
        discussion: "Nothing printed here is trustworthy until `portcullis verify` accepts the token."
    )

    @Option(name: .long, help: ArgumentHelp("The current time, in Unix seconds (default: the clock).", valueName: "UNIX_SECONDS"))
    var now: Double?

    @Flag(name: .long, help: "Print one JSON object: header, claims, times and warnings.")
    var json = false

    @Argument(help: ArgumentHelp("The token, or - to read it from standard input.", valueName: "TOKEN"))
    var token: String

    /// Tokens that live longer than this get a warning.
    static let longLifetime: Double = 24 * 3_600

    func run() throws {
        let compact: String
        do {
            compact = try TokenInput.read(token)
        } catch let error as ConfigurationError {
            Console.warn("portcullis inspect: \(error)")
            throw CLIExit.usage
        }
        if JWECompact.looksLikeJWE(compact) {
            try inspectEncrypted(compact)
            return
        }
        let jws: JWSCompact
        let claims: JSONObject
        do {
            jws = try JWSCompact.parse(compact)
            claims = try jws.payloadObject(limits: .default)
        } catch {
            if json {
                Console.out(JSONValue.object(["error": .string(error.code.rawValue), "message": .string(error.message)]).serializedString())
            } else {
                Console.out("✗ cannot decode: \(error.code.rawValue): \(error.message)")
            }
            throw CLIExit.rejected
        }
        let current = now ?? Date().timeIntervalSince1970
        let warnings = Self.warnings(header: jws.header, claims: claims)
        let times = Self.times(claims, now: current)
        if json {
            var output = JSONObject()
            output["header"] = .object(jws.header.json)
            output["claims"] = .object(claims)
            output["times"] = .object(JSONObject(uniqueMembers: times.map { JSONObject.Member(name: $0.name, value: .string($0.text)) }))
            output["warnings"] = .array(warnings.map { .string($0) })
            output["verified"] = .bool(false)
            Console.out(JSONValue.object(output).serializedString())
            return
        }
        var lines = ["Header (NOT verified):", JSONValue.object(jws.header.json).prettyPrinted(), "Claims (NOT verified):", JSONValue.object(claims).prettyPrinted()]
        if !times.isEmpty {
            lines.append("Times:")
            lines += times.map { "  \($0.name): \($0.text)" }
        }
        lines.append("Signature: \(jws.signature.count) bytes")
        if !warnings.isEmpty {
            lines.append("Warnings:")
            lines += warnings.map { "  ! \($0)" }
        }
        Console.out(lines.joined(separator: "\n"))
    }

    /// `exp`, `nbf` and `iat` as dates with relative phrases.
    static func times(_ claims: JSONObject, now: Double) -> [(name: String, text: String)] {
        var result: [(name: String, text: String)] = []
        for name in ["iat", "nbf", "exp"] {
            guard let value = claims[name] else { continue }
            guard let seconds = value.numberValue?.doubleValue else {
                result.append((name, "not a number (\(value.typeName)): invalid"))
                continue
            }
            var text = TimeText.describe(seconds, now: now)
            if name == "exp" {
                text = "\(TimeText.utc(seconds)) (" + (seconds > now ? "expires \(TimeText.relative(seconds - now))" : "expired \(TimeText.relative(seconds - now))") + ")"
            }
            result.append((name, text))
        }
        return result
    }

    /// What deserves attention before trusting a token like this one.
    static func warnings(header: JOSEHeader, claims: JSONObject) -> [String] {
        var warnings: [String] = []
        let alg = header.algorithm
        if JWSAlgorithm.isNone(alg) {
            warnings.append("alg is \"\(alg)\": an unsecured token; Portcullis never accepts it")
        } else if let algorithm = JWSAlgorithm(name: alg) {
            if algorithm.family == .hmac {
                warnings.append("\(alg) is an HMAC algorithm: anyone able to verify this token can also mint one")
            }
        } else {
            warnings.append("alg \"\(alg)\" is not a supported signature algorithm")
        }
        for name in ["jku", "x5u", "jwk", "x5c"] where header.json[name] != nil {
            warnings.append("header \"\(name)\" is present: it points at or embeds key material, which verifiers must never trust (RFC 8725 §3.10)")
        }
        if let crit = header.json["crit"] {
            warnings.append("crit \(crit.serializedString()) is present: verifiers refuse critical extensions they do not process")
        }
        if header.json["b64"]?.boolValue == false {
            warnings.append("b64 is false: unencoded payloads are not valid JWTs")
        }
        if let exp = claims["exp"]?.numberValue?.doubleValue {
            if let iat = claims["iat"]?.numberValue?.doubleValue, exp - iat > longLifetime {
                warnings.append("lifetime is \(TimeText.relative(exp - iat).replacingOccurrences(of: "in ", with: "")): long-lived bearer tokens are risky")
            }
        } else {
            warnings.append(claims["exp"] == nil ? "no exp claim: the token never expires, and Portcullis refuses it" : "exp is not a number")
        }
        if claims["aud"] == nil {
            warnings.append("no aud claim: the token is not bound to an audience")
        }
        return warnings
    }
}

