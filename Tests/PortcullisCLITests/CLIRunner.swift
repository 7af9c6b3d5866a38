import Foundation
import PortcullisTesting

/// Runs the built `portcullis` executable, as a user would.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Standard output parsed as one JSON object.
    var json: [String: Any]? {
        guard let data = stdout.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

enum CLI {
    /// `.build/<config>/portcullis`, beside the test bundle.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("portcullis").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("portcullis")
    }

    /// Runs any program the same way.
    static func capture(_ program: URL, _ arguments: [String], stdin: String? = nil) async throws -> CLIResult {
        let output = try await TestProcess.run(program, arguments, stdin: stdin.map { Data($0.utf8) })
        return CLIResult(status: output.status, stdout: output.stdoutText, stderr: output.stderr)
    }

    /// Runs the CLI on a thread of its own (see `TestProcess`), never on the cooperative pool.
    static func run(_ arguments: [String], stdin: String? = nil) async throws -> CLIResult {
        let output = try await TestProcess.run(executable, arguments, stdin: stdin.map { Data($0.utf8) })
        return CLIResult(status: output.status, stdout: output.stdoutText, stderr: output.stderr)
    }
}


/// A scratch directory removed at deinit.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A real HTTP server on 127.0.0.1 serving a directory (Python's `http.server`), on a port the
/// kernel picks; the server writes the port to a file once it listens.
final class StaticHTTPServer {
    private let process = Process()
    let port: Int

    init(directory: URL) throws {
        let portFile = directory.appendingPathComponent(".port")
        let script = """
            import functools, http.server, os, signal, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            handler.log_message = lambda *args: None
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            with open(sys.argv[2] + ".tmp", "w") as f:
                f.write(str(server.server_address[1]))
            os.rename(sys.argv[2] + ".tmp", sys.argv[2])
            server.serve_forever()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory.path, portFile.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try TestProcess.launch(process)
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.025) }
        }
        guard let port else {
            process.terminate()
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    deinit {
        // SIGKILL: Foundation.Process may start children with signals blocked, and a blocked
        // SIGTERM would leave the server running and this wait hanging.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
