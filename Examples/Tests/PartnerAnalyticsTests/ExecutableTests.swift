import ExamplesTestSupport
import Foundation
import Testing

/// The README's command starts this executable: run it as a user would and paste the `curl`
/// lines it prints.
@Suite("Partner analytics: the executable and its printed curl lines", .timeLimit(.minutes(2)))
struct ExecutableTests {
    static let executable = Executable.find("PartnerAnalytics")

    @Test(.enabled(if: executable != nil, "the PartnerAnalytics executable is not built beside the tests"))
    func printedCurlLinesWorkAsShown() async throws {
        let port = try await Subprocess.freePort()
        guard let executable = Self.executable else { return }
        let (process, banner) = try await Executable.start(
            executable, ["--port", String(port), "--log-level", "error"], until: "scope=dataset:read:t456\n")
        defer { process.terminate(); kill(process.processIdentifier, SIGKILL) }
        let lines = Executable.curlLines(banner)
        #expect(lines.count == 8, "banner: \(banner)")

        let script = "set -e\n" + lines.joined(separator: "\necho; echo '---'\n") + "\n"
        let result = try await Subprocess.run("/bin/sh", ["-c", script])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let outputs = result.stdout.components(separatedBy: "---\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(outputs.count == 8)
        guard outputs.count == 8 else { return }
        #expect(outputs[0].isEmpty)                                                 // PARTNER=…
        #expect(outputs[1].contains("\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\""))
        #expect(outputs[1].contains("\"scope\":\"dataset:read:t123 dataset:query:t123\""))
        #expect(outputs[2].isEmpty)                                                 // TOKEN=…
        #expect(outputs[3] == "{\"datasets\":[{\"tenant\":\"t123\",\"name\":\"sales\"},{\"tenant\":\"t123\",\"name\":\"usage\"}]}")
        #expect(outputs[4].contains("\"columns\""))
        #expect(outputs[5].contains("\"rows\":["))
        #expect(outputs[6].hasPrefix("HTTP/1.1 403"))
        #expect(outputs[7].hasPrefix("HTTP/1.1 400"))
        #expect(outputs[7].contains("\"error\":\"invalid_scope\""))
    }
}
