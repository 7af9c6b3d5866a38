public import Foundation
import PortcullisTesting

/// An example's executable, built beside the test bundle, run as a user would run it.
public enum Executable {
    /// `.build/<config>/<name>`, found by walking up from the test bundle; `nil` when not built.
    public static func find(_ name: String) -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Starts `executable` with `arguments` (its standard output piped) and reads what it prints up
    /// to `marker`. The caller stops the process (SIGKILL: children may inherit blocked signals).
    /// - Parameter environment: Variables added to this process's environment.
    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], until marker: String
    ) async throws -> (process: Process, banner: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let output = Pipe()
        process.standardOutput = output
        try TestProcess.launch(process)
        return (process, await read(output, until: marker))
    }

    /// Reads `pipe` until the text contains `marker` or the writer closes it. The blocking reads
    /// happen on a thread of their own, never on Swift concurrency's small cooperative pool (which
    /// servers under test need).
    public static func read(_ pipe: Pipe, until marker: String) async -> String {
        await withCheckedContinuation { continuation in
            Thread {
                var text = ""
                let reader = pipe.fileHandleForReading
                while !text.contains(marker) {
                    let chunk = reader.availableData
                    guard !chunk.isEmpty else { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: text)
            }.start()
        }
    }

    /// The lines of a banner that are shell commands: they start with `curl` or assign `$(curl …)`.
    public static func curlLines(_ banner: String) -> [String] {
        banner.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("curl") || $0.contains("$(curl") }
    }
}
