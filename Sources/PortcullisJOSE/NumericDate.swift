/// A JWT NumericDate (RFC 7519 §2): seconds since 1970-01-01T00:00:00Z UTC, ignoring leap
/// seconds. Non-integer values are allowed.
public struct NumericDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the epoch.
    public let secondsSince1970: Double

    /// A date `seconds` after the epoch.
    public init(_ seconds: Double) {
        self.secondsSince1970 = seconds
    }

    /// Orders by time.
    public static func < (lhs: NumericDate, rhs: NumericDate) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// The number of seconds.
    public var description: String {
        secondsSince1970 == secondsSince1970.rounded() && abs(secondsSince1970) < 1e15
            ? String(Int64(secondsSince1970)) : String(secondsSince1970)
    }
}
