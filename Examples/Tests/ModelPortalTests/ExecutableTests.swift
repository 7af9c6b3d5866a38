import ExamplesTestSupport
import Portcullis
import Foundation
import Testing

/// The README's first command starts this executable: run it as a user would and paste the
/// `curl` lines it prints.
@Suite("Model portal: the executable and its printed curl lines")
struct ExecutableTests {
    /// `.build/<config>/ModelPortal`, beside the test bundle.
    static let executable = Executable.find("ModelPortal")

    /// Starts the executable with `arguments` and returns its banner up to `last`.
    static func banner(_ arguments: [String], until last: String) async throws -> (Process, String) {
        guard let executable else { throw CurlError(message: "no ModelPortal executable") }
        return try await Executable.start(executable, arguments + ["--log-level", "error"], until: last)
    }

    @Test(.enabled(if: executable != nil, "the ModelPortal executable is not built beside the tests"))
    func printedCurlLinesWorkAsShown() async throws {
        let port = try await Subprocess.freePort()
        let (process, banner) = try await Self.banner(["--port", String(port)], until: "curl -si http://127.0.0.1:\(port)/api/models\n")
        defer { process.terminate(); kill(process.processIdentifier, SIGKILL) }
        let lines = Executable.curlLines(banner)
        #expect(lines.count == 11, "banner: \(banner)")

        // Run them in one shell, as pasted, printing each command's status line or body.
        let script = "set -e\n" + lines.joined(separator: "\necho; echo '---'\n") + "\n"
        let result = try await Subprocess.run("/bin/sh", ["-c", script])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let outputs = result.stdout.components(separatedBy: "\n---\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        // Three token assignments (no output), then eight requests.
        #expect(outputs.count == 11, "output: \(result.stdout)")
        guard outputs.count == 11 else { return }
        #expect(outputs[0...2].allSatisfy { $0.isEmpty })
        #expect(outputs[3].contains(#"{"name":"sentiment","versions":3,"deployed":2}"#))    // Viewer lists
        #expect(outputs[4].hasPrefix("HTTP/1.1 403"))                                          // Viewer creates
        #expect(outputs[4].contains(#"{"error":"access_denied","message":"models:write requires the role Data Scientist or Admin; the token has Viewer"}"#))
        #expect(outputs[5] == #"{"name":"churn","versions":0,"deployed":null}"#)               // Data Scientist creates
        #expect(outputs[6] == #"{"name":"churn","version":1}"#)                                // … uploads
        #expect(outputs[7].hasPrefix("HTTP/1.1 403"))                                          // … cannot deploy
        #expect(outputs[7].contains("models:deploy requires the role Admin; the token has Data Scientist"))
        #expect(outputs[8] == #"{"name":"churn","versions":1,"deployed":1}"#)                  // Admin deploys
        #expect(outputs[9].hasPrefix("HTTP/1.1 204"))                                          // … deletes
        #expect(outputs[10].hasPrefix("HTTP/1.1 401"))                                         // no token
        #expect(outputs[10].contains("WWW-Authenticate: Bearer realm=\"model-portal\""))
    }

    @Test(.enabled(if: executable != nil, "the ModelPortal executable is not built beside the tests"))
    func issuerNeedsAClientID() async throws {
        let result = try await Subprocess.run(try #require(Self.executable).path, ["--issuer", "http://127.0.0.1:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--issuer needs --client-id"))
    }

    @Test(
        .enabled(if: executable != nil, "the ModelPortal executable is not built beside the tests"),
        arguments: ["k1", "k1:short", "bad.id:" + String(repeating: "A", count: 43)])
    func unusableSessionKeysAreRefusedAtStart(_ keys: String) async throws {
        let result = try await Subprocess.run(
            try #require(Self.executable).path, ["--issuer", "http://127.0.0.1:1", "--client-id", "portal"],
            environment: ["PORTCULLIS_SESSION_KEYS": keys])
        #expect(result.status != 0)
        #expect(result.stderr.contains("PORTCULLIS_SESSION_KEYS must be id:base64url(32 bytes) entries"))
    }

    /// `--client-key` and `--claims-max-age` are checked at start, with the reason.
    @Test(.enabled(if: executable != nil, "the ModelPortal executable is not built beside the tests"))
    func unusableSignInOptionsAreRefusedAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portal-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let publicKey = directory.appendingPathComponent("public.pem"), hmac = directory.appendingPathComponent("secret.jwk")
        try Data(try CryptoKey.generate(for: .es256).pem().utf8).write(to: publicKey)
        try Data(#"{"kty": "oct", "k": "\#(Base64URL.encode([UInt8](repeating: 7, count: 32)))"}"#.utf8).write(to: hmac)
        let cases: [([String], String)] = [
            (["--client-key", directory.appendingPathComponent("missing.pem").path], "cannot read"),
            (["--client-key", publicKey.path], "holds a public key"),
            (["--client-key", hmac.path], "is not an RSA, EC or Ed25519 private key"),
            (["--claims-max-age", "0"], "--claims-max-age must be at least 1 second"),
        ]
        for (options, reason) in cases {
            let result = try await Subprocess.run(
                try #require(Self.executable).path, ["--issuer", "http://127.0.0.1:1", "--client-id", "portal"] + options)
            #expect(result.status != 0, "\(options)")
            #expect(result.stderr.contains(reason), "\(options): \(result.stderr)")
        }
    }
}
