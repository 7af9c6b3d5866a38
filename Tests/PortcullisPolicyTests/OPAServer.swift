import Foundation
import PortcullisTesting

/// The test-only OPA REST server (`Support/opa_server.py`, the real OPA engine through
/// opa-golib-python-bindings) on 127.0.0.1, on a port the kernel picks. Killed (SIGKILL) at deinit.
final class OPAServer {
    /// The interop interpreter from scripts/test.sh, or `nil` when tests run without it.
    static let python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"]
    static let unavailable = "set PORTCULLIS_INTEROP_PYTHON (scripts/test.sh does) to a Python with opa-golib-python-bindings to run the OPA tests"

    private let process = Process()
    private let directory: URL
    let port: Int

    /// Starts the server; waits for its port with `Task.sleep`, never blocking a thread of the
    /// cooperative pool that the other suites (and timeout tests) need.
    init(delay: Double = 0) async throws {
        guard let python = Self.python else { throw CocoaError(.executableNotLoadable) }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-opa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let portFile = directory.appendingPathComponent("port")
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Fixture.support("opa_server.py").path, Fixture.support("authz.rego").path, portFile.path]
            + (delay > 0 ? ["--delay", String(delay)] : [])
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try TestProcess.launch(process)
        var port: Int?
        for _ in 0..<400 where port == nil && process.isRunning {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    deinit {
        // SIGKILL: Foundation.Process may start children with signals blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
