import ExamplesTestSupport
import Foundation

/// A real browser for tests: Debian's headless Chromium, driven through a plan of steps by
/// `Support/headless_chromium.py` (the Chrome DevTools Protocol over a pipe, no Python package
/// needed), which reports what each snapshot step saw on the rendered page.
enum HeadlessChromium {
    /// The browser: `PORTCULLIS_CHROMIUM`, else `chromium` or `chromium-browser` on the `PATH`.
    static let executable: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["PORTCULLIS_CHROMIUM"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }()

    /// Whether this is a CI run (`CI` set, as `CI=true bash .ci/run`): a missing browser then
    /// fails the test instead of skipping it.
    static let isCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "false" && value != "0"
    }()

    static let missingMessage =
        "needs Chromium (Debian: apt-get install chromium, which scripts/test.sh does; or set PORTCULLIS_CHROMIUM)"

    /// One step of a plan (see the script's documentation for what each does).
    struct Step: Encodable, Sendable {
        var op: String
        var url: String?
        var selector: String?
        var text: String?
        var value: String?
        var name: String?
        var screenshot: String?

        /// A fresh browser context (no cookies) with one page.
        static let context = Step(op: "context")
        static func open(_ url: String) -> Step { Step(op: "open", url: url) }
        /// Clicks the first `selector` (with exactly `text`, when given) and waits for the next page.
        static func click(_ selector: String, text: String? = nil) -> Step { Step(op: "click", selector: selector, text: text) }
        static func fill(_ selector: String, _ value: String) -> Step { Step(op: "fill", selector: selector, value: value) }
        static func snapshot(_ name: String, screenshot: URL? = nil) -> Step {
            Step(op: "snapshot", name: name, screenshot: screenshot?.path)
        }
    }

    /// What a snapshot step saw on the rendered page.
    struct Page: Decodable, Sendable {
        struct Form: Decodable, Sendable {
            /// The `action` attribute as written (empty: the page's own URL).
            let action: String
            let method: String
            let buttons: [String]
            /// Names of the visible inputs.
            let inputs: [String]
        }

        struct Link: Decodable, Sendable {
            let text: String
            let href: String
        }

        let name: String
        let url: String
        let title: String
        /// `h1` and `h2` texts.
        let headings: [String]
        /// The body's rendered text.
        let text: String
        let forms: [Form]
        /// The cell texts of each `tbody` row.
        let rows: [[String]]
        /// The texts of the `.denied` elements.
        let denied: [String]
        let links: [Link]

        /// The row whose first cell is `first`.
        func row(_ first: String) -> [String]? { rows.first { $0.first == first } }
    }

    /// The script's report.
    struct Report: Decodable, Sendable {
        let browser: String?
        let snapshots: [Page]
        let error: String?
        /// The index of the step that failed.
        let step: Int?
        /// The end of Chromium's own output, when a step failed.
        let chromiumLog: String?

        func page(_ name: String) -> Page? { snapshots.first { $0.name == name } }
    }

    /// The script's input (snake_case keys).
    struct Plan: Encodable {
        let chromium: String
        let stepTimeout: Int
        let totalTimeout: Int
        let steps: [Step]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Support/headless_chromium.py").path

    /// Runs `steps` in one headless Chromium process. Every wait in the script is bounded by
    /// 15 s and the whole run by 60 s; `timeout` kills the script and its browser at 90 s.
    static func run(_ steps: [Step], chromium: String, python: String) async throws -> Report {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let plan = Plan(chromium: chromium, stepTimeout: 15, totalTimeout: 60, steps: steps)
        let input = String(decoding: try encoder.encode(plan), as: UTF8.self)
        let output = try await Subprocess.run("/usr/bin/timeout", ["-s", "KILL", "90", python, script], stdin: input)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let report = try? decoder.decode(Report.self, from: Data(output.stdout.utf8)) else {
            throw Failure(description: "headless_chromium.py (status \(output.status)) printed no report: \(output.stdout) \(output.stderr)")
        }
        return report
    }
}
