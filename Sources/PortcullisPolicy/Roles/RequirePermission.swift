import PortcullisJOSE

/// Requires a permission granted by one of the token's roles, read from a configurable claim.
///
/// Roles come from ``claim``: `roles` by default, or a dot path such as `realm_access.roles`
/// (Keycloak), `groups`, or a namespaced URI claim (`https://example.com/roles`, one name). The
/// claim may be an array of strings or a single string; a string is one role, never split on
/// spaces (`"Data Scientist"`). Matching is exact and case-sensitive.
///
/// A refusal is `access_denied` and its message names the roles that would allow the action, so
/// that a portal can say which role is needed:
///
/// ```swift
/// let deploy = RequirePermission("models:deploy", roles: .modelPortal)
/// // denied: "models:deploy requires the role Admin; the token has Viewer"
/// ```
public struct RequirePermission: Policy {
    /// The permission required.
    public let permission: String
    /// The role map.
    public let roles: RoleMap
    /// Where the token's roles are.
    public let claim: ClaimPath
    /// The name shown in denials: `permission(<permission>)`.
    public let name: String
    private let grantingRoles: [String]

    /// Requires `permission` through `roles`, reading role names from `claim` (default `roles`).
    public init(_ permission: String, roles: RoleMap, claim: ClaimPath = "roles") {
        self.permission = permission
        self.roles = roles
        self.claim = claim
        self.name = "permission(\(permission))"
        self.grantingRoles = roles.roles(granting: permission)
    }

    /// Reads the token's roles and checks that one grants the permission.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        let held = context.claim(claim).map(Self.roleNames) ?? []
        if roles.grants(permission, to: held) { return .allow }
        let needed = Self.list(grantingRoles)
        let message: String =
            if grantingRoles.isEmpty { "no role grants \(permission)" }
            else if held.isEmpty { "\(permission) requires the role \(needed); the token has no role in \(claim)" }
            else { "\(permission) requires the role \(needed); the token has \(Self.list(held))" }
        return .deny(Denial(
            .accessDenied, policy: name, message: message, claim: claim.description,
            expected: grantingRoles.isEmpty ? "(no role)" : "one of " + grantingRoles.joined(separator: ", "),
            actual: held.isEmpty ? "(none)" : held.joined(separator: ", ")))
    }

    /// Role names in a claim value: a string is one role; an array contributes its strings.
    static func roleNames(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let role): [role]
        case .array(let elements): elements.compactMap(\.stringValue)
        default: []
        }
    }

    /// `A`, `A or B`, `A, B or C`.
    static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "(none)" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}
