import Foundation
import PortcullisTesting
import Synchronization

/// Runs programs for tests, through `PortcullisTesting.TestProcess` (which waits on threads of its
/// own, never on Swift concurrency's small cooperative pool that the server under test needs).
public enum Subprocess {
    /// A finished program's status and output.
    public struct Output: Sendable {
        /// The exit status.
        public let status: Int32
        /// Standard output.
        public let stdout: String
        /// Standard error.
        public let stderr: String
    }

    /// Runs `program` to completion with `stdin`, capturing both output streams.
    public static func run(
        _ program: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil
    ) async throws -> Output {
        let output = try await TestProcess.run(
            URL(fileURLWithPath: program), arguments, stdin: stdin.map { Data($0.utf8) }, environment: environment)
        return Output(status: output.status, stdout: output.stdoutText, stderr: output.stderr)
    }

    /// ``run(_:_:stdin:environment:)``, blocking the calling thread: only for synchronous
    /// contexts such as a test trait's condition, never from a test body.
    public static func runBlocking(
        _ program: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil
    ) throws -> Output {
        let output = try TestProcess.runBlocking(
            URL(fileURLWithPath: program), arguments, stdin: stdin.map { Data($0.utf8) }, environment: environment)
        return Output(status: output.status, stdout: output.stdoutText, stderr: output.stderr)
    }

    /// A TCP port that was free a moment ago on 127.0.0.1.
    ///
    /// Chosen at random from 10000–32000 and checked by binding it, rather than asking the kernel
    /// for an ephemeral port: the kernel hands a just-released port out again quickly, so two
    /// tests starting at once could be given the same one before either server binds it. The range
    /// stays below Linux's ephemeral range (32768–60999), where the tests' own client connections
    /// (curl, URLSession) take their local ports and could hold the number when the server binds.
    public static func freePort() async throws -> Int {
        // Never the same port twice in this test process: a port checked free but not yet bound by
        // its server must not be handed to a second test meanwhile.
        for _ in 0..<20 {
            let port = try await candidatePort()
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw CurlError(message: "could not find a free port that no other test holds")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    private static func candidatePort() async throws -> Int {
        let output = try await run(
            "/usr/bin/env",
            ["python3", "-c", """
                import random, socket
                for _ in range(200):
                    port = random.randint(10000, 32000)
                    s = socket.socket()
                    try:
                        s.bind(('127.0.0.1', port)); print(port); break
                    except OSError:
                        pass
                    finally:
                        s.close()
                """])
        guard output.status == 0, let port = Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CurlError(message: "could not find a free port: \(output.stderr)")
        }
        return port
    }
}
