public import PortcullisJOSE

/// Why a policy refused a request: a tree whose root is the rule that decided and whose children
/// are the rules beneath it that failed.
///
/// Every node carries a stable reason code (the Portcullis reason codes: `insufficient_scope`,
/// `access_denied`, `rate_limited`, …), the policy's name, and what was compared: the claim, the
/// expected and the actual value. ``requiredScopes`` lists scopes that would satisfy the policy, for
/// `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (RFC 6750 §3).
public struct Denial: Sendable, Hashable, CustomStringConvertible {
    /// The stable reason code.
    public var code: PortcullisError.Code
    /// The name of the policy that denied.
    public var policy: String
    /// A human explanation of this node.
    public var message: String
    /// The claim compared, when there is one.
    public var claim: String?
    /// What the policy expected, rendered for humans.
    public var expected: String?
    /// What the token or request carried, rendered for humans.
    public var actual: String?
    /// Scopes that would satisfy the policy (for the `scope` attribute of the challenge).
    public var requiredScopes: [String]
    /// The denials beneath this one (the failing branches of a composite policy).
    public var children: [Denial]

    /// Creates a denial.
    public init(
        _ code: PortcullisError.Code, policy: String, message: String, claim: String? = nil,
        expected: String? = nil, actual: String? = nil, requiredScopes: [String] = [], children: [Denial] = []
    ) {
        self.code = code
        self.policy = policy
        self.message = message
        self.claim = claim
        self.expected = expected
        self.actual = actual
        self.requiredScopes = requiredScopes
        self.children = children
    }

    /// The deepest, most specific message: the first leaf's, which is what a caller should fix.
    public var reason: String { children.first?.reason ?? message }

    /// The denial as the library's error type (code, ``reason``, claim, expected, actual).
    public var error: PortcullisError {
        let leaf = firstLeaf
        return PortcullisError(code, reason, claim: leaf.claim, expected: leaf.expected, actual: leaf.actual)
    }

    private var firstLeaf: Denial { children.first?.firstLeaf ?? self }

    /// An indented tree, one line per node: `code [policy] message (claim: expected …, actual …)`.
    public var description: String {
        var lines: [String] = []
        render(into: &lines, depth: 0)
        return lines.joined(separator: "\n")
    }

    private func render(into lines: inout [String], depth: Int) {
        var line = String(repeating: "  ", count: depth) + "\(code.rawValue) [\(policy)] \(message)"
        var details: [String] = []
        if let claim { details.append("claim \(claim)") }
        if let expected { details.append("expected \(expected)") }
        if let actual { details.append("actual \(actual)") }
        if !requiredScopes.isEmpty { details.append("would be allowed with scope \(requiredScopes.joined(separator: " "))") }
        if !details.isEmpty { line += " (" + details.joined(separator: "; ") + ")" }
        lines.append(line)
        for child in children { child.render(into: &lines, depth: depth + 1) }
    }

    /// The tree as JSON, for audit events and debugging endpoints.
    public var jsonValue: JSONValue {
        var members: [JSONObject.Member] = [
            .init(name: "code", value: .string(code.rawValue)),
            .init(name: "policy", value: .string(policy)),
            .init(name: "message", value: .string(message)),
        ]
        if let claim { members.append(.init(name: "claim", value: .string(claim))) }
        if let expected { members.append(.init(name: "expected", value: .string(expected))) }
        if let actual { members.append(.init(name: "actual", value: .string(actual))) }
        if !requiredScopes.isEmpty {
            members.append(.init(name: "required_scopes", value: .array(requiredScopes.map(JSONValue.string))))
        }
        if !children.isEmpty { members.append(.init(name: "children", value: .array(children.map(\.jsonValue)))) }
        return .object(JSONObject(uniqueMembers: members))
    }
}
