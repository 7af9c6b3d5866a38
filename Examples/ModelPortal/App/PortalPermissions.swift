public import Portcullis

/// The portal's actions and the permission each needs, checked with the policy engine:
/// roles from the token's claim (``ModelPortalConfiguration/rolesClaim``) are mapped through
/// `RoleMap.modelPortal`, and ``RequirePermission`` refuses with `access_denied` naming the role
/// that would allow the action.
///
/// | action | permission | roles |
/// |---|---|---|
/// | list and read models | `models:read` | Viewer, Data Scientist, Admin |
/// | create a model, upload a version | `models:write` | Data Scientist, Admin |
/// | deploy a version | `models:deploy` | Admin |
/// | delete a model | `models:delete` | Admin |
public struct PortalPermissions: Sendable {
    /// The role map (`RoleMap.modelPortal` unless a test passes another).
    public let roles: RoleMap
    /// Where the roles are in the token.
    public let claim: ClaimPath
    /// `GET /api/models`, `GET /api/models/{name}`.
    public let read: RouteRequirement
    /// `POST /api/models`, `POST /api/models/{name}/versions`.
    public let write: RouteRequirement
    /// `POST /api/models/{name}/deploy`.
    public let deploy: RouteRequirement
    /// `DELETE /api/models/{name}`.
    public let delete: RouteRequirement

    /// The requirements for roles read from `claim` and mapped through `roles`.
    public init(claim: ClaimPath = "roles", roles: RoleMap = .modelPortal) {
        self.roles = roles
        self.claim = claim
        func requirement(_ permission: String) -> RouteRequirement {
            RouteRequirement(permission, policy: RequirePermission(permission, roles: roles, claim: claim))
        }
        read = requirement("models:read")
        write = requirement("models:write")
        deploy = requirement("models:deploy")
        delete = requirement("models:delete")
    }

    /// The role names the token carries at ``claim`` (strings only; a single string is one role).
    public func roleNames(in token: VerifiedToken) -> [String] {
        claim.strings(in: token.claims.json) ?? []
    }
}
