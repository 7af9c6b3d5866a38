import ExamplesTestSupport
import Foundation
import Testing

/// The README's first command starts this executable: run it as a user would and paste the
/// `curl` lines it prints.
@Suite("Completion server: the executable and its printed curl lines")
struct ExecutableTests {
    static let executable = Executable.find("CompletionServer")

    @Test(.enabled(if: executable != nil, "the CompletionServer executable is not built beside the tests"))
    func printedCurlLinesWorkAsShown() async throws {
        let port = try await Subprocess.freePort()
        guard let executable = Self.executable else { return }
        let (process, banner) = try await Executable.start(
            executable, ["--port", String(port), "--log-level", "error"], until: "curl -si http://127.0.0.1:\(port)/v1/models\n")
        defer { process.terminate(); kill(process.processIdentifier, SIGKILL) }
        let lines = Executable.curlLines(banner)
        #expect(lines.count == 7, "banner: \(banner)")

        // Run them in one shell, as pasted, printing each command's status line or body.
        let script = "set -e\n" + lines.joined(separator: "\necho '---'\n") + "\n"
        let result = try await Subprocess.run("/bin/sh", ["-c", script])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let outputs = result.stdout.components(separatedBy: "---\n")
        // Two token assignments (no output), then five requests.
        #expect(outputs.count == 7)
        guard outputs.count == 7 else { return }
        #expect(outputs[0].isEmpty && outputs[1].isEmpty)
        #expect(outputs[2].contains("\"id\":\"small\""))                           // models for free
        #expect(outputs[3].contains("\"text_completion\""))                        // free + small
        #expect(outputs[4].hasPrefix("HTTP/1.1 403"))                              // free + large
        #expect(outputs[4].contains("scope=\"completions completions:premium\""))
        #expect(outputs[5].contains("\"model\":\"large\""))                        // premium + large
        #expect(outputs[6].hasPrefix("HTTP/1.1 401"))                              // no token
        #expect(outputs[6].contains("WWW-Authenticate: Bearer realm=\"completions\""))
    }
}
