public import Foundation

/// Runs programs from tests — a CLI under test, `openssl`, a Python interop script — without
/// blocking Swift concurrency's cooperative thread pool.
///
/// That pool is only as wide as the machine has cores (two on a small CI runner). A test that
/// waits for a child process on it stalls every other test in the process, including those that
/// measure timeouts. ``run(_:_:stdin:environment:currentDirectory:)`` waits on a thread of its own instead.
public enum TestProcess {
    /// A finished program's exit status and output.
    public struct Output: Sendable {
        /// The exit status (or the signal number for a program killed by a signal).
        public let status: Int32
        /// Standard output, as bytes.
        public let stdout: Data
        /// Standard error, as text.
        public let stderr: String

        /// Standard output as UTF-8 text.
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `executable` to completion, feeding it `stdin` and capturing both output streams.
    public static func run(
        _ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try runBlocking(
                        executable, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
                })
            }.start()
        }
    }

    /// ``run(_:_:stdin:environment:currentDirectory:)``, blocking the calling thread (call it
    /// only off the cooperative pool).
    public static func runBlocking(
        _ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
        currentDirectory: URL? = nil
    ) throws -> Output {
        // A slot before anything is opened: a few hundred tests starting at once must not hold a
        // few hundred sets of pipes (Foundation's Process.run() crashed with ~1,300 descriptors
        // open, see launch(_:)).
        slots.wait()
        defer { slots.signal() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try launch(process)
        // Both pipes are drained while the child runs, so a full pipe can never block it.
        let errorBox = Box()
        let errorDone = DispatchSemaphore(value: 0)
        Thread {
            errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errorDone.signal()
        }.start()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errorDone.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errorBox.data, as: UTF8.self))
    }

    /// Starts `process`, one launch at a time across this test process: swift-corelibs-foundation's
    /// `Process.run()` crashed (a read past a buffer; the registers held `/proc/self/fd` entry
    /// names, so while listing the descriptors to close) when
    /// a few hundred tests launched programs from many threads with over a thousand descriptors
    /// open. Launching is fast, so serializing it costs nothing measurable. Every test helper that
    /// starts a program goes through here.
    public static func launch(_ process: Process) throws {
        try launchLock.withLock { try process.run() }
    }

    private static let launchLock = NSLock()
    /// At most 48 programs run through ``runBlocking(_:_:stdin:environment:currentDirectory:)``
    /// at once: each holds three pipes (six descriptors) and two threads, so the descriptors stay
    /// far below the ~1,300 that crashed, while a test's own requests rarely wait behind others'
    /// (timing-sensitive tests such as the rate-limit contract send ten requests in a row).
    private static let slots = DispatchSemaphore(value: 48)

    /// Hands the standard-error bytes from the reading thread to the caller; the semaphore orders
    /// the write before the read.
    private final class Box: @unchecked Sendable {
        var data = Data()
    }
}
