/// Which permissions each role grants: the bridge between the roles an identity provider puts in
/// a token (`Viewer`, `Data Scientist`, `Admin`) and the permissions an application checks
/// (`models:read`, `models:write`, …).
///
/// Role names compare exactly and case-sensitively, and are never split: `"Data Scientist"` is one
/// role. Roles are kept in the order given, lowest first, which is the order denials list them in.
///
/// ```swift
/// let roles = RoleMap([
///     ("Viewer", ["models:read"]),
///     ("Admin", ["models:read", "models:deploy"]),
/// ])
/// roles.roles(granting: "models:deploy")   // ["Admin"]
/// ```
public struct RoleMap: Sendable, Hashable {
    /// One role and the permissions it grants.
    public struct Role: Sendable, Hashable {
        /// The role name as the identity provider writes it.
        public var name: String
        /// The permissions the role grants.
        public var permissions: [String]

        /// Creates a role.
        public init(name: String, permissions: [String]) {
            self.name = name
            self.permissions = permissions
        }
    }

    /// The roles, lowest first.
    public let roles: [Role]
    private let index: [String: Set<String>]

    /// Creates a map from roles, lowest first. When a name repeats, its permissions are merged.
    public init(roles: [Role]) {
        var merged: [Role] = []
        var index: [String: Set<String>] = [:]
        for role in roles {
            if let position = merged.firstIndex(where: { $0.name == role.name }) {
                for permission in role.permissions where !merged[position].permissions.contains(permission) {
                    merged[position].permissions.append(permission)
                }
            } else {
                merged.append(role)
            }
            index[role.name, default: []].formUnion(role.permissions)
        }
        self.roles = merged
        self.index = index
    }

    /// Creates a map from `(role, permissions)` pairs, lowest first.
    public init(_ pairs: [(String, [String])]) {
        self.init(roles: pairs.map { Role(name: $0.0, permissions: $0.1) })
    }

    /// The model portal of the design notes: Viewer reads models; Data Scientist also writes them
    /// (uploads and versions); Admin also deploys and deletes them.
    public static let modelPortal = RoleMap([
        ("Viewer", ["models:read"]),
        ("Data Scientist", ["models:read", "models:write"]),
        ("Admin", ["models:read", "models:write", "models:deploy", "models:delete"]),
    ])

    /// The role names, lowest first.
    public var names: [String] { roles.map(\.name) }

    /// The permissions the role called `name` grants (empty for an unknown role).
    public func permissions(of name: String) -> Set<String> { index[name] ?? [] }

    /// The permissions granted by any of `roles` (unknown roles grant nothing).
    public func permissions(for roles: [String]) -> Set<String> {
        var granted: Set<String> = []
        for role in roles { if let permissions = index[role] { granted.formUnion(permissions) } }
        return granted
    }

    /// `true` when one of `roles` grants `permission`.
    public func grants(_ permission: String, to roles: [String]) -> Bool {
        roles.contains { index[$0]?.contains(permission) == true }
    }

    /// The roles that grant `permission`, lowest first: what a denial tells the user to ask for.
    public func roles(granting permission: String) -> [String] {
        roles.filter { index[$0.name]?.contains(permission) == true }.map(\.name)
    }
}
