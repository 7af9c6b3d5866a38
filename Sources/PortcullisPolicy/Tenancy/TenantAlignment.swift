public import PortcullisJOSE

/// Keeps a token inside its own tenant: the resource's tenant, the token's tenant claim and a
/// tenant-bound scope must all agree.
///
/// For `TenantAlignment(scopeTemplate: "dataset:read:{resource.tenant}")` and a request for a
/// dataset owned by `t123`, the policy allows only when, in this order:
/// 1. the resource has an owning tenant (a request without one is refused: fail closed);
/// 2. that tenant is an identifier (1–128 of `A-Z a-z 0-9 . _ -`);
/// 3. the token's `tenant` claim is a string equal to it (absent, not a string or different →
///    `access_denied`, claim `tenant`);
/// 4. the template expands (every substituted value is an identifier) to `dataset:read:t123`;
/// 5. the token holds exactly that scope (else `insufficient_scope` naming it).
///
/// A token for `t123` therefore never reaches `t456`'s data, whatever else it holds: a wildcard
/// such as `dataset:read:*` is just a scope that is not `dataset:read:t456`, and
/// `dataset:read:t456` alone fails step 3.
///
/// - Warning: ``ResourceAttributes/tenant`` must come from the server's own records (who owns the
///   dataset) or from the route, never from the request body alone.
public struct TenantAlignment: Policy {
    /// The tenant-bound scope.
    public let template: ScopeTemplate
    /// The claim holding the token's tenant (default `tenant`).
    public let tenantClaim: ClaimPath
    /// The name shown in denials: `tenant(<template>)`.
    public let name: String
    private let tenantClaimName: String

    /// Aligns tenants through `scopeTemplate`, which must contain `{resource.tenant}`.
    /// - Throws: `malformed` when the template is invalid or does not contain `{resource.tenant}`.
    public init(scopeTemplate: String, tenantClaim: ClaimPath = "tenant") throws(PortcullisError) {
        try self.init(template: ScopeTemplate(scopeTemplate), tenantClaim: tenantClaim)
    }

    /// Aligns tenants through `template`, which must contain `{resource.tenant}`.
    /// - Throws: `malformed` when the template does not contain `{resource.tenant}`.
    public init(template: ScopeTemplate, tenantClaim: ClaimPath = "tenant") throws(PortcullisError) {
        guard template.placeholders.contains(.resourceTenant) else {
            throw PortcullisError(
                .malformed, "the tenant scope template \"\(template)\" must contain {resource.tenant}")
        }
        self.template = template
        self.tenantClaim = tenantClaim
        self.tenantClaimName = tenantClaim.description
        self.name = "tenant(\(template))"
    }

    /// Checks the resource's tenant, the token's tenant and the tenant-bound scope.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        guard let tenant = context.request.resource.tenant else {
            return deny("the resource has no owning tenant, so tenant alignment refuses it", actual: "(no resource tenant)")
        }
        guard ScopeTemplate.isIdentifier(tenant) else {
            return deny(
                "the resource tenant is not a valid tenant identifier", expected: "A-Z a-z 0-9 . _ - (1 to 128)",
                actual: RequireClaim.render(.string(tenant)))
        }
        switch context.claim(tenantClaim) {
        case .string(let claimed)?:
            guard claimed == tenant else {
                return deny(
                    "the token is for tenant \(RequireClaim.render(.string(claimed))), the resource belongs to \(tenant)",
                    expected: tenant, actual: claimed)
            }
        case let other?:
            return deny("the \(tenantClaimName) claim is not a string", expected: tenant, actual: other.typeName)
        case nil:
            return deny("the token has no \(tenantClaimName) claim", expected: tenant, actual: "(absent)")
        }
        let scope: String
        switch template.expand(context.request) {
        case .success(let expanded): scope = expanded
        case .failure(let failure):
            return .deny(Denial(
                .accessDenied, policy: name,
                message: "\(failure.placeholder) is \(failure.value == nil ? "missing" : "not a valid identifier")",
                expected: "A-Z a-z 0-9 . _ - (1 to 128)", actual: failure.value ?? "(absent)"))
        }
        if context.hasScope(scope) { return .allow }
        return .deny(Denial(
            .insufficientScope, policy: name, message: "the token lacks the scope \(scope)", claim: "scope",
            expected: scope, actual: RequireScopes.render(context.scopes), requiredScopes: [scope]))
    }

    private func deny(_ message: String, expected: String? = nil, actual: String? = nil) -> PolicyDecision {
        .deny(Denial(.accessDenied, policy: name, message: message, claim: tenantClaimName, expected: expected, actual: actual))
    }
}
