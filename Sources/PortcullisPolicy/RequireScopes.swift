import PortcullisJOSE

/// Requires scopes granted to the token (`scope`, else `scp`: RFC 9068 §2.2.3), all of a list or any
/// of a list. Scope names compare exactly and case-sensitively (RFC 6749 §3.3); `*` has no meaning.
public struct RequireScopes: Policy {
    /// How the listed scopes combine.
    public enum Mode: String, Sendable, Hashable {
        /// Every listed scope must be granted.
        case allOf
        /// At least one listed scope must be granted.
        case anyOf
    }

    /// The listed scopes.
    public let scopes: [String]
    /// How they combine.
    public let mode: Mode
    /// The name shown in denials.
    public let name: String

    /// Requires every scope in `scopes`.
    public init(allOf scopes: [String], name: String? = nil) {
        self.scopes = scopes
        self.mode = .allOf
        self.name = name ?? "scopes(all: \(scopes.joined(separator: " ")))"
    }

    /// Requires at least one scope in `scopes`. An empty list denies.
    public init(anyOf scopes: [String], name: String? = nil) {
        self.scopes = scopes
        self.mode = .anyOf
        self.name = name ?? "scopes(any: \(scopes.joined(separator: " ")))"
    }

    /// Checks the token's scopes; an `insufficient_scope` denial names the missing scopes.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        switch mode {
        case .allOf:
            var missing: [String] = []
            for scope in scopes where !context.hasScope(scope) { missing.append(scope) }
            if missing.isEmpty { return .allow }
            return .deny(Denial(
                .insufficientScope, policy: name,
                message: "the token lacks the scope\(missing.count == 1 ? "" : "s") \(missing.joined(separator: " "))",
                claim: "scope", expected: scopes.joined(separator: " "), actual: Self.render(context.scopes),
                requiredScopes: scopes))
        case .anyOf:
            for scope in scopes where context.hasScope(scope) { return .allow }
            return .deny(Denial(
                .insufficientScope, policy: name,
                message: scopes.isEmpty ? "no scope is configured to allow this" : "the token has none of the scopes \(scopes.joined(separator: ", "))",
                claim: "scope", expected: "one of " + scopes.joined(separator: " "), actual: Self.render(context.scopes),
                requiredScopes: scopes.first.map { [$0] } ?? []))
        }
    }

    static func render(_ scopes: [String]) -> String { scopes.isEmpty ? "(none)" : scopes.joined(separator: " ") }
}
