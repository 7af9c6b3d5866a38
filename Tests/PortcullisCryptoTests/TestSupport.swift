import Foundation
import PortcullisTesting
import PortcullisCrypto
import PortcullisJOSE
import Testing

/// Hex and base64url helpers for test data.
enum Bytes {
    static func hex(_ text: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
            result.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    static func base64URL(_ text: String) -> [UInt8] {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init) ?? []
    }

    static func base64URLString(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Builds a `JWK` from a JSON object literal of string members (base64url parameters decoded).
func makeJWK(_ members: [String: String]) -> JWK {
    func value(_ name: String) -> [UInt8]? { members[name].map(Bytes.base64URL) }
    return JWK(
        keyType: members["kty"] ?? "", curve: members["crv"],
        n: value("n"), e: value("e"), d: value("d"), p: value("p"), q: value("q"),
        dp: value("dp"), dq: value("dq"), qi: value("qi"), x: value("x"), y: value("y"), k: value("k"))
}

/// Locates the shared test vectors: `<package root>/../shared/vectors`.
enum Vectors {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let wycheproof = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/vectors/wycheproof")
    static let wycheproofAvailable = FileManager.default.fileExists(
        atPath: wycheproof.appendingPathComponent("ed25519_test.json").path)
}

/// One Wycheproof test case.
struct WycheproofCase {
    let id: Int
    let message: [UInt8]
    /// `sig` or `tag`.
    let signature: [UInt8]
    let result: String
    /// The per-case key of MAC vectors.
    let key: [UInt8]
}

/// One Wycheproof test group: its raw JSON (for the key) and its cases.
struct WycheproofGroup {
    let json: [String: Any]
    let cases: [WycheproofCase]
}

/// What happened to a file's vectors.
struct WycheproofTally: Equatable, CustomStringConvertible {
    var validVerified = 0
    var invalidRejected = 0
    var acceptable = 0
    /// Cases whose key was refused at load or by `checkUsable`, by expected result.
    var keyRejectedValid = 0
    var keyRejectedInvalid = 0
    /// Cases not applicable (for example truncated MAC tags).
    var skipped = 0
    /// Test ids that went the wrong way.
    var failures: [Int] = []

    var description: String {
        "valid \(validVerified), invalid \(invalidRejected), acceptable \(acceptable), key-rejected \(keyRejectedValid)/\(keyRejectedInvalid), skipped \(skipped), failures \(failures)"
    }
}

enum Wycheproof {
    /// The groups of a vector file.
    static func groups(_ file: String) throws -> [WycheproofGroup] {
        let data = try Data(contentsOf: Vectors.wycheproof.appendingPathComponent(file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        return try groups.map { group in
            let tests = try #require(group["tests"] as? [[String: Any]])
            let cases = tests.map { test in
                WycheproofCase(
                    id: test["tcId"] as? Int ?? -1,
                    message: Bytes.hex(test["msg"] as? String ?? ""),
                    signature: Bytes.hex((test["sig"] ?? test["tag"]) as? String ?? ""),
                    result: test["result"] as? String ?? "",
                    key: Bytes.hex(test["key"] as? String ?? ""))
            }
            return WycheproofGroup(json: group, cases: cases)
        }
    }

    /// Runs every case of `file`: `makeKey` builds the group's key (`nil` skips the group as not
    /// applicable; a thrown `PortcullisError` counts its cases as key-rejected), `verify` checks
    /// one case (a thrown error counts as key-rejected too).
    static func run(
        _ file: String,
        makeKey: (WycheproofGroup) throws -> CryptoKey?,
        verify: (CryptoKey, WycheproofCase) throws -> Bool
    ) throws -> WycheproofTally {
        var tally = WycheproofTally()
        for group in try groups(file) {
            let key: CryptoKey
            do {
                guard let made = try makeKey(group) else {
                    tally.skipped += group.cases.count
                    continue
                }
                key = made
            } catch is PortcullisError {
                for test in group.cases { count(test, keyRejected: true, into: &tally) }
                continue
            }
            for test in group.cases {
                let outcome: Bool
                do {
                    outcome = try verify(key, test)
                } catch is PortcullisError {
                    count(test, keyRejected: true, into: &tally)
                    continue
                }
                switch (test.result, outcome) {
                case ("valid", true): tally.validVerified += 1
                case ("invalid", false): tally.invalidRejected += 1
                case ("acceptable", _): tally.acceptable += 1
                default: tally.failures.append(test.id)
                }
            }
        }
        return tally
    }

    private static func count(_ test: WycheproofCase, keyRejected: Bool, into tally: inout WycheproofTally) {
        switch test.result {
        case "valid": tally.keyRejectedValid += 1
        case "invalid": tally.keyRejectedInvalid += 1
        default: tally.acceptable += 1
        }
    }
}

/// The `openssl` command-line tool, for fixtures made by an independent implementation.
enum OpenSSLCLI {
    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var isAvailable: Bool { path != nil }

    /// Runs `openssl` with `arguments` in `directory`; returns standard output. Throws when the
    /// tool fails.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, input: [UInt8]? = nil) async throws -> [UInt8] {
        let output = try await TestProcess.run(
            URL(fileURLWithPath: try #require(path)), arguments, stdin: input.map { Data($0) }, currentDirectory: directory)
        guard output.status == 0 else { throw CLIError(arguments: arguments, status: output.status) }
        return Array(output.stdout)
    }

    struct CLIError: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        var description: String { "openssl \(arguments.joined(separator: " ")) exited with \(status)" }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-crypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func read(_ name: String, in directory: URL) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func readBytes(_ name: String, in directory: URL) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// Converts a DER ECDSA signature (as `openssl dgst -sign` writes it) to JOSE `r‖s`.
func joseSignature(fromDER der: [UInt8], size: Int) -> [UInt8]? {
    var index = 0
    func item(_ tag: UInt8) -> [UInt8]? {
        guard index + 2 <= der.count, der[index] == tag else { return nil }
        var length = Int(der[index + 1])
        index += 2
        if length == 0x81 {
            guard index < der.count else { return nil }
            length = Int(der[index])
            index += 1
        }
        guard index + length <= der.count else { return nil }
        defer { index += length }
        return Array(der[index..<index + length])
    }
    // Step into the SEQUENCE header (short or 0x81 long form), then read the two INTEGERs.
    guard der.count > 2, der[0] == 0x30 else { return nil }
    index = der[1] == 0x81 ? 3 : 2
    guard let r = item(0x02), let s = item(0x02) else { return nil }
    func pad(_ v: [UInt8]) -> [UInt8]? {
        let m = Array(v.drop(while: { $0 == 0 }))
        return m.count <= size ? [UInt8](repeating: 0, count: size - m.count) + m : nil
    }
    guard let pr = pad(r), let ps = pad(s) else { return nil }
    return pr + ps
}
