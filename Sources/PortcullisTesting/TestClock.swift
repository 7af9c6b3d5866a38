public import PortcullisJOSE
import Synchronization

/// A clock for tests: it stands still until the test moves it.
///
/// Hand ``now`` to `VerifierConfiguration.clock` and ``seconds`` to a `RateLimiter`, then call
/// ``advance(by:)`` to make time pass without sleeping.
public final class TestClock: Sendable {
    private let current: Mutex<Double>

    /// A clock reading `seconds` since 1970 (default: 2027-01-15T08:00:00Z, a fixed instant).
    public init(_ seconds: Double = 1_800_000_000) {
        current = Mutex(seconds)
    }

    /// The current reading in seconds.
    public var seconds: Double { current.withLock { $0 } }

    /// The current reading as a `NumericDate`.
    public var date: NumericDate { NumericDate(seconds) }

    /// Moves the clock forward (or back, with a negative value).
    public func advance(by seconds: Double) {
        current.withLock { $0 += seconds }
    }

    /// Sets the clock.
    public func set(_ seconds: Double) {
        current.withLock { $0 = seconds }
    }

    /// A `@Sendable` closure reading this clock as a `NumericDate` (for `VerifierConfiguration.clock`).
    public var now: @Sendable () -> NumericDate { { [self] in self.date } }

    /// A `@Sendable` closure reading this clock in seconds (for `RateLimiter(clock:)`).
    public var secondsSource: @Sendable () -> Double { { [self] in self.seconds } }
}
