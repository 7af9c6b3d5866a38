public import PortcullisJOSE

/// Requires a claim to be present, to equal a value, to contain an element, or to match a pattern.
///
/// Every refusal is `access_denied` (HTTP 403), including a missing claim: the token itself is
/// valid (it was verified), it just does not authorize this request, so `missing_claim` (a
/// token-validity code, HTTP 401) would send the client to fetch a new token for nothing.
///
/// ```swift
/// RequireClaim.equals("email_verified", .bool(true))
/// RequireClaim.contains("amr", "mfa")
/// try RequireClaim.matches("email", pattern: #"[^@]+@example\.com"#)
/// RequireClaim.present("act")
/// ```
public struct RequireClaim: Policy {
    /// What the claim must satisfy.
    public enum Condition: Sendable {
        /// The claim exists (any value, including `null`).
        case present
        /// The claim equals the value (JSON equality; numbers compare by value).
        case equals(JSONValue)
        /// The claim is an array holding this string, or a space-separated string (like `scope`
        /// or `amr` written as text) holding it as one of its words.
        case contains(String)
        /// The claim is a string, or an array of strings one of which, that matches the pattern.
        case matches(ClaimPattern)
    }

    /// Where the claim is.
    public let path: ClaimPath
    /// What it must satisfy.
    public let condition: Condition
    /// The name shown in denials, such as `claim(email_verified equals true)`.
    public let name: String

    /// Requires `condition` of the claim at `path`.
    public init(_ path: ClaimPath, _ condition: Condition, name: String? = nil) {
        self.path = path
        self.condition = condition
        self.name = name ?? "claim(\(path) \(Self.describe(condition)))"
    }

    /// Requires the claim at `path` to exist.
    public static func present(_ path: ClaimPath) -> RequireClaim { RequireClaim(path, .present) }
    /// Requires the claim at `path` to equal `value`.
    public static func equals(_ path: ClaimPath, _ value: JSONValue) -> RequireClaim { RequireClaim(path, .equals(value)) }
    /// Requires the claim at `path` to equal the string `value`.
    public static func equals(_ path: ClaimPath, _ value: String) -> RequireClaim { RequireClaim(path, .equals(.string(value))) }
    /// Requires the claim at `path` to contain `element`.
    public static func contains(_ path: ClaimPath, _ element: String) -> RequireClaim { RequireClaim(path, .contains(element)) }
    /// Requires the claim at `path` to match `pattern` in whole.
    /// - Throws: `malformed` when the pattern is empty, too long or invalid.
    public static func matches(_ path: ClaimPath, pattern: String) throws(PortcullisError) -> RequireClaim {
        RequireClaim(path, .matches(try ClaimPattern(pattern)))
    }

    /// Checks the claim.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        guard let value = context.claim(path) else {
            return deny("the token has no \(path) claim", actual: "(absent)")
        }
        switch condition {
        case .present:
            return .allow
        case .equals(let expected):
            if value == expected { return .allow }
            return deny("\(path) is not \(Self.render(expected))", actual: Self.render(value))
        case .contains(let element):
            if Self.contains(value, element) { return .allow }
            return deny("\(path) does not contain \(element)", actual: Self.render(value))
        case .matches(let pattern):
            if Self.matches(value, pattern) { return .allow }
            return deny("\(path) does not match \(pattern.pattern)", actual: Self.render(value))
        }
    }

    private func deny(_ message: String, actual: String) -> PolicyDecision {
        .deny(Denial(
            .accessDenied, policy: name, message: message, claim: path.description,
            expected: Self.describe(condition), actual: actual))
    }

    static func contains(_ value: JSONValue, _ element: String) -> Bool {
        switch value {
        case .array(let elements): elements.contains(.string(element))
        case .string(let text): text.split(separator: " ").contains { $0 == element }
        default: false
        }
    }

    static func matches(_ value: JSONValue, _ pattern: ClaimPattern) -> Bool {
        switch value {
        case .string(let text): pattern.matches(text)
        case .array(let elements): elements.contains { $0.stringValue.map(pattern.matches) == true }
        default: false
        }
    }

    static func describe(_ condition: Condition) -> String {
        switch condition {
        case .present: "present"
        case .equals(let value): "equals \(render(value))"
        case .contains(let element): "contains \(element)"
        case .matches(let pattern): "matches \(pattern.pattern)"
        }
    }

    /// A claim value for messages: compact JSON, cut at 200 characters.
    static func render(_ value: JSONValue) -> String {
        let text = value.serializedString()
        return text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}
