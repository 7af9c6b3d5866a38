public import PortcullisJOSE

/// A regular expression for claim values, compiled once when the policy is built.
///
/// Patterns are bounded (``maximumPatternLength`` characters) and matched against the *whole*
/// value (an implicit `^…$`), so `t[0-9]+` does not accept `t123-evil`. Values longer than
/// ``maximumValueLength`` never match, which keeps the cost of a backtracking match bounded.
public struct ClaimPattern: Sendable, CustomStringConvertible {
    /// The longest pattern accepted, in characters.
    public static let maximumPatternLength = 256
    /// The longest claim value matched, in UTF-8 bytes; longer values do not match.
    public static let maximumValueLength = 1024

    /// The pattern as written.
    public let pattern: String
    // `Regex` is not declared `Sendable`, but a compiled regex is immutable: its lowered program is
    // built once, here, before the value is shared (and its lazy initialisation is atomic anyway).
    nonisolated(unsafe) private let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern` (Swift `Regex` syntax, a superset of the common PCRE subset).
    /// - Throws: `malformed` when the pattern is empty, too long or does not compile.
    public init(_ pattern: String) throws(PortcullisError) {
        guard !pattern.isEmpty, pattern.count <= Self.maximumPatternLength else {
            throw PortcullisError(
                .malformed, "a claim pattern must have 1 to \(Self.maximumPatternLength) characters",
                expected: "1...\(Self.maximumPatternLength) characters", actual: "\(pattern.count) characters")
        }
        do {
            regex = try Regex(pattern)
        } catch {
            throw PortcullisError(.malformed, "the claim pattern \(pattern) does not compile: \(error)")
        }
        self.pattern = pattern
        _ = try? regex.wholeMatch(in: "")
    }

    /// `true` when the whole of `value` matches.
    public func matches(_ value: String) -> Bool {
        guard value.utf8.count <= Self.maximumValueLength else { return false }
        return (try? regex.wholeMatch(in: value)) != nil
    }

    /// The pattern.
    public var description: String { pattern }
}
