import Foundation

/// Runs programs for tests.
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

    /// Runs `program` to completion with `stdin`, capturing both output streams. The waiting happens
    /// on a Dispatch thread, never on Swift concurrency's small cooperative pool (which the server
    /// under test needs).
    public static func run(
        _ program: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil
    ) async throws -> Output {
        // A thread of its own: Dispatch's global pool is only as wide as the machine has cores,
        // and blocking it (or the cooperative pool) can starve the server being tested.
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try runBlocking(program, arguments, stdin: stdin, environment: environment)
                })
            }.start()
        }
    }

    /// ``run(_:_:stdin:environment:)``, blocking the calling thread.
    public static func runBlocking(
        _ program: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let errorData = Mutexed(Data())
        let errorRead = DispatchSemaphore(value: 0)
        Thread {
            errorData.set(err.fileHandleForReading.readDataToEndOfFile())
            errorRead.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errorRead.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// A TCP port that was free a moment ago on 127.0.0.1 (the kernel picks it).
    public static func freePort() async throws -> Int {
        let output = try await run(
            "/usr/bin/env",
            ["python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()"])
        guard output.status == 0, let port = Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CurlError(message: "could not find a free port: \(output.stderr)")
        }
        return port
    }
}

/// A value behind a lock, for handing results between threads in tests.
final class Mutexed<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
