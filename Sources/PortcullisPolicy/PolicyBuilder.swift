import PortcullisJOSE

/// Builds the children of ``AllOf`` and ``AnyOf`` from a list of policies, with `if`, `if`/`else`
/// and `for` as in any result builder.
@resultBuilder
public enum PolicyBuilder {
    /// One policy.
    public static func buildExpression(_ policy: any Policy) -> [any Policy] { [policy] }
    /// Several policies (an array built elsewhere).
    public static func buildExpression(_ policies: [any Policy]) -> [any Policy] { policies }
    /// The statements of a block, in order.
    public static func buildBlock(_ components: [any Policy]...) -> [any Policy] { components.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ component: [any Policy]?) -> [any Policy] { component ?? [] }
    /// The first branch of an `if`/`else`.
    public static func buildEither(first component: [any Policy]) -> [any Policy] { component }
    /// The second branch of an `if`/`else`.
    public static func buildEither(second component: [any Policy]) -> [any Policy] { component }
    /// A `for` loop.
    public static func buildArray(_ components: [[any Policy]]) -> [any Policy] { components.flatMap { $0 } }
}

/// Allows when every child allows; stops at the first denial, which becomes the only child of
/// its own denial. An empty `AllOf` allows (it states no requirement).
public struct AllOf: Policy {
    /// The name shown in denials.
    public let name: String
    /// The children, evaluated in order.
    public let policies: [any Policy]

    /// Combines `policies` (all must allow).
    public init(_ name: String = "allOf", policies: [any Policy]) {
        self.name = name
        self.policies = policies
    }

    /// Combines the policies of the block (all must allow). The block may throw (for example
    /// `try TenantAlignment(scopeTemplate:)`); the error is rethrown with its type.
    public init<Failure: Error>(_ name: String = "allOf", @PolicyBuilder _ build: () throws(Failure) -> [any Policy]) throws(Failure) {
        self.init(name, policies: try build())
    }

    /// Evaluates the children in order and short-circuits at the first denial.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        for policy in policies {
            if case .deny(let denial) = policy.evaluate(context) {
                return .deny(Denial(
                    denial.code, policy: name, message: "\(denial.policy) denied", requiredScopes: denial.requiredScopes,
                    children: [denial]))
            }
        }
        return .allow
    }
}

/// Allows when at least one child allows. When all deny, the denial lists every branch's denial;
/// an empty `AnyOf` denies (no alternative was offered, so nothing can satisfy it).
public struct AnyOf: Policy {
    /// The name shown in denials.
    public let name: String
    /// The alternatives, evaluated in order until one allows.
    public let policies: [any Policy]

    /// Offers `policies` as alternatives.
    public init(_ name: String = "anyOf", policies: [any Policy]) {
        self.name = name
        self.policies = policies
    }

    /// Offers the policies of the block as alternatives. The block may throw; the error is
    /// rethrown with its type.
    public init<Failure: Error>(_ name: String = "anyOf", @PolicyBuilder _ build: () throws(Failure) -> [any Policy]) throws(Failure) {
        self.init(name, policies: try build())
    }

    /// Allows at the first child that allows; otherwise denies with every branch's denial.
    ///
    /// The code is the branches' code when they agree, `insufficient_scope` when any branch
    /// lacks only scopes (adding scopes is what a client can act on), else `access_denied`. The
    /// required scopes are those of the scope-denied branch that needs the fewest.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        guard !policies.isEmpty else {
            return .deny(Denial(.accessDenied, policy: name, message: "no alternative is configured"))
        }
        var denials: [Denial] = []
        denials.reserveCapacity(policies.count)
        for policy in policies {
            switch policy.evaluate(context) {
            case .allow: return .allow
            case .deny(let denial): denials.append(denial)
            }
        }
        let scopeDenials = denials.filter { $0.code == .insufficientScope && !$0.requiredScopes.isEmpty }
        let code: PortcullisError.Code =
            if denials.allSatisfy({ $0.code == denials[0].code }) { denials[0].code }
            else if !scopeDenials.isEmpty { .insufficientScope }
            else { .accessDenied }
        let required = scopeDenials.min { $0.requiredScopes.count < $1.requiredScopes.count }?.requiredScopes ?? []
        return .deny(Denial(
            code, policy: name, message: "none of \(denials.count) alternatives allowed the request",
            requiredScopes: code == .insufficientScope ? required : [], children: denials))
    }
}

/// Inverts a policy: allows when it denies and denies (`access_denied`) when it allows.
public struct Not: Policy {
    /// The name shown in denials.
    public let name: String
    /// The inverted policy.
    public let policy: any Policy

    /// Inverts `policy`.
    public init(_ policy: any Policy, name: String? = nil) {
        self.policy = policy
        self.name = name ?? "not(\(policy.name))"
    }

    /// Denies when the inner policy allows.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        switch policy.evaluate(context) {
        case .allow:
            .deny(Denial(.accessDenied, policy: name, message: "\(policy.name) matched, which this rule forbids"))
        case .deny:
            .allow
        }
    }
}

/// A policy written as a closure, for rules the built-in policies do not express.
///
/// The closure must be pure and fast: it runs on every request.
public struct CustomPolicy: Policy {
    /// The name shown in denials.
    public let name: String
    private let body: @Sendable (PolicyContext) -> PolicyDecision

    /// Wraps `body` under `name`.
    public init(_ name: String, _ body: @escaping @Sendable (PolicyContext) -> PolicyDecision) {
        self.name = name
        self.body = body
    }

    /// Runs the closure.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision { body(context) }
}

/// A policy that allows every request with a verified token: for routes that need authentication
/// but no particular permission.
public struct AllowAuthenticated: Policy {
    /// `"authenticated"`.
    public var name: String { "authenticated" }
    /// Creates the policy.
    public init() {}
    /// Always allows (the token was already verified).
    public func evaluate(_ context: PolicyContext) -> PolicyDecision { .allow }
}
