/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

/// The outcome of one timed run.
struct Measurement: Sendable {
    var operations: Int
    var seconds: Double
    var opsPerSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }
}

private extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Runs `body` for `warmup` seconds, then for `seconds` seconds, and counts completed calls.
/// The clock is read once per batch of `batch` calls so that reading it costs little.
func measure(seconds: Double, warmup: Double, batch: Int = 32, _ body: () throws -> Void) rethrows -> Measurement {
    let clock = ContinuousClock()
    if warmup > 0 {
        let end = clock.now.advanced(by: .milliseconds(Int64(warmup * 1000)))
        while clock.now < end { for _ in 0..<batch { try body() } }
    }
    let start = clock.now
    let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
    var operations = 0
    var now = start
    while now < end {
        for _ in 0..<batch { try body() }
        operations += batch
        now = clock.now
    }
    return Measurement(operations: operations, seconds: (now - start).seconds)
}

/// The async twin of ``measure(seconds:warmup:batch:_:)`` (jwt-kit's key collection is an actor).
func measureAsync(
    seconds: Double, warmup: Double, batch: Int = 32, _ body: () async throws -> Void
) async rethrows -> Measurement {
    let clock = ContinuousClock()
    if warmup > 0 {
        let end = clock.now.advanced(by: .milliseconds(Int64(warmup * 1000)))
        while clock.now < end { for _ in 0..<batch { try await body() } }
    }
    let start = clock.now
    let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
    var operations = 0
    var now = start
    while now < end {
        for _ in 0..<batch { try await body() }
        operations += batch
        now = clock.now
    }
    return Measurement(operations: operations, seconds: (now - start).seconds)
}
