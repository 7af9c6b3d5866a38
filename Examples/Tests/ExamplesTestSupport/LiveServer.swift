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
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
