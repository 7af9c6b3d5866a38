import Foundation
public import Hummingbird

/// Runs a Hummingbird application in this process, listening on 127.0.0.1 for real connections,
/// for the duration of a test body.
public enum LiveServer {
    /// The server stopped before it listened: its port was taken, or the test was cancelled.
    public struct StartFailure: Error, CustomStringConvertible {
        /// Why.
        public let underlying: any Error
        /// A description.
        public var description: String { "the server did not start: \(underlying)" }
    }

    /// Runs `body` with a port from ``Subprocess/freePort()``; when the server `body` starts
    /// cannot listen on it (``StartFailure``: another process bound the port between the check
    /// and the bind), runs `body` again with another port, at most `attempts` times.
    public static func onFreePort<Result>(attempts: Int = 3, _ body: (Int) async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await body(try await Subprocess.freePort())
            } catch let failure as StartFailure where attempt < attempts {
                _ = failure
                attempt += 1
            }
        }
    }

    /// Starts the application `make` builds (it receives the callback to call once listening), runs
    /// `body`, then shuts the server down.
    public static func with<App: ApplicationProtocol, Result>(
        _ make: (@escaping @Sendable () async -> Void) async throws -> App,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let (started, continuation) = AsyncStream<Void>.makeStream()
        let app = try await make { continuation.yield() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var iterator = started.makeAsyncIterator()
            guard await iterator.next() != nil else {
                // The server ended before it listened (a port taken meanwhile, a cancelled test):
                // report why instead of waiting forever.
                do {
                    try await group.next()
                } catch {
                    throw StartFailure(underlying: error)
                }
                throw StartFailure(underlying: CurlError(message: "the server stopped before it started listening"))
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
