/// An authorization rule evaluated against a verified token and a request.
///
/// Evaluation is synchronous and pure: no I/O, no clocks other than ``PolicyContext/now``, no
/// shared mutable state. Rules that need I/O (quota stores, external decision points) have their
/// own `async` protocols and run beside the policy tree, not inside it.
///
/// Compose policies with ``AllOf``, ``AnyOf`` and ``Not``:
///
/// ```swift
/// let policy = AllOf("completions") {
///     RequireScopes(allOf: ["completions"])
///     try TenantAlignment(scopeTemplate: "dataset:read:{resource.tenant}")
/// }
/// switch policy.evaluate(context) {
/// case .allow: ...
/// case .deny(let denial): print(denial)   // an explained tree, never a joined string
/// }
/// ```
public protocol Policy: Sendable {
    /// A short name that identifies this rule in denials and audit events.
    var name: String { get }

    /// Decides whether the request may proceed.
    func evaluate(_ context: PolicyContext) -> PolicyDecision
}

/// The outcome of a policy: allow, or deny with an explanation.
public enum PolicyDecision: Sendable, Hashable {
    /// The request may proceed.
    case allow
    /// The request is refused, and ``Denial`` says why.
    case deny(Denial)

    /// `true` for ``allow``.
    public var isAllowed: Bool { if case .allow = self { true } else { false } }

    /// The denial, or `nil` for ``allow``.
    public var denial: Denial? { if case .deny(let denial) = self { denial } else { nil } }
}
