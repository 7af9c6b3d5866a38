public import PortcullisJOSE

/// Decides what a client obtains (DESIGN.md, "the partner analytics example"):
/// - **Scopes.** Down-scoping only: the issued scopes are the requested ones, all of which must
///   lie in the client's allowance; one requested scope outside it makes the whole request
///   `invalid_scope` (nothing is silently dropped). Without `scope` the client gets its whole
///   allowance. A tenant-bound scope (one starting with a prefix in ``tenantBoundPrefixes``) is
///   granted only for the client's own tenant, whatever the allowance says.
/// - **Targets.** Every `resource` and `audience` must be one of ``audiences`` (RFC 8693 §2.2.2
///   `invalid_target`); the issued token's `aud` is the API's URL.
public struct ExchangePolicy: Sendable {
    /// The audiences tokens may be issued for; the first is the default `aud`.
    public let audiences: [String]
    /// Scope prefixes whose remainder is a tenant (`dataset:read:` + `t123`).
    public let tenantBoundPrefixes: [String]

    /// Creates a policy.
    /// - Throws: `malformed` without any audience.
    public init(
        audiences: [String], tenantBoundPrefixes: [String] = ["dataset:read:", "dataset:query:", "dataset:write:"]
    ) throws(PortcullisError) {
        guard !audiences.isEmpty else { throw PortcullisError(.malformed, "an exchange policy needs at least one audience") }
        self.audiences = audiences
        self.tenantBoundPrefixes = tenantBoundPrefixes
    }

    /// The outcome for one request.
    public struct Grant: Sendable, Hashable {
        /// The scopes issued.
        public let scopes: [String]
        /// The issued token's `aud`.
        public let audience: String
    }

    /// A refused scope decision, with what was refused and why (for the audit log).
    public struct ScopeRefusal: Error, Sendable {
        /// The error to answer.
        public let error: PortcullisError
        /// The scopes refused, each with its reason.
        public let refused: [(scope: String, reason: String)]
    }

    /// Decides the scopes and the audience for `client`.
    /// - Throws: ``ScopeRefusal`` (`invalid_scope`) or `invalid_target` wrapped the same way.
    public func decide(
        client: ExchangeClient, requestedScopes: [String], targets: [String]
    ) throws(ScopeRefusal) -> Grant {
        let unknownTargets = targets.filter { !audiences.contains($0) }
        guard unknownTargets.isEmpty else {
            throw ScopeRefusal(error: PortcullisError(
                .invalidTarget, "this service issues tokens only for \(audiences.joined(separator: ", ")); refused: \(unknownTargets.joined(separator: ", "))",
                claim: "resource", expected: audiences.joined(separator: " "), actual: unknownTargets.joined(separator: " ")), refused: [])
        }
        let allowance = client.allowedScopes.filter { tenantOf($0).map { $0 == client.tenant } ?? true }
        let requested = requestedScopes.isEmpty ? allowance : requestedScopes
        var refused: [(scope: String, reason: String)] = []
        for scope in requested {
            if let tenant = tenantOf(scope), tenant != client.tenant {
                refused.append((scope, "tenant \(tenant) is not the client's tenant \(client.tenant)"))
            } else if !allowance.contains(scope) {
                refused.append((scope, "outside the client's allowance"))
            }
        }
        guard refused.isEmpty else {
            throw ScopeRefusal(error: PortcullisError(
                .invalidScope,
                "requested scopes outside the allowance of client \(client.id): " + refused.map { "\($0.scope) (\($0.reason))" }.joined(separator: "; "),
                claim: "scope", expected: allowance.joined(separator: " "), actual: refused.map(\.scope).joined(separator: " ")),
                refused: refused)
        }
        guard !requested.isEmpty else {
            throw ScopeRefusal(error: PortcullisError(
                .invalidScope, "client \(client.id) has no scope it may obtain for tenant \(client.tenant)", claim: "scope"), refused: [])
        }
        return Grant(scopes: requested, audience: targets.first ?? audiences[0])
    }

    /// The tenant a tenant-bound scope names, or `nil` for other scopes.
    public func tenantOf(_ scope: String) -> String? {
        for prefix in tenantBoundPrefixes where scope.hasPrefix(prefix) {
            return String(scope.dropFirst(prefix.count))
        }
        return nil
    }
}
