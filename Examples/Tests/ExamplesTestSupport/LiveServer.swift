import Foundation
public import Hummingbird

/// Runs a Hummingbird application in this process, listening on 127.0.0.1 for real connections,
/// for the duration of a test body.
public enum LiveServer {
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
                try await group.next()
                throw CurlError(message: "the server stopped before it started listening")
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
