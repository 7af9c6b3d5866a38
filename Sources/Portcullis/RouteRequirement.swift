public import PortcullisPolicy

/// What a route requires of a caller: a policy, and optionally a rate limit.
///
/// ```swift
/// let completions = RouteRequirement("completions", policy: RequireScopes(allOf: ["completions"]),
///                                    rateLimit: RateLimitRule(key: .subject, limit: .tiers(catalog)))
/// ```
public struct RouteRequirement: Sendable {
    /// The route's name in audit events and metrics (`completions`, `GET /v1/models`).
    public var name: String
    /// The policy a verified token must satisfy.
    public var policy: any Policy
    /// The rate limit counted after the policy allows, when there is one.
    public var rateLimit: RateLimitRule?

    /// Creates a requirement.
    public init(_ name: String, policy: any Policy = AllowAuthenticated(), rateLimit: RateLimitRule? = nil) {
        self.name = name
        self.policy = policy
        self.rateLimit = rateLimit
    }

    /// A requirement whose policy is built in the block (all of its policies must allow).
    public init(_ name: String, rateLimit: RateLimitRule? = nil, @PolicyBuilder _ build: () -> [any Policy]) {
        self.init(name, policy: AllOf(name, policies: build()), rateLimit: rateLimit)
    }

    /// Requires every scope in `scopes`.
    public static func scopes(_ scopes: String..., rateLimit: RateLimitRule? = nil) -> RouteRequirement {
        RouteRequirement(scopes.joined(separator: " "), policy: RequireScopes(allOf: scopes), rateLimit: rateLimit)
    }
}

/// How a route's requests are counted against a rate limit.
public struct RateLimitRule: Sendable {
    /// Who a request is counted against.
    public enum Key: Sendable {
        /// The token's `sub`.
        case subject
        /// The token's `client_id` (else `azp`).
        case client
        /// A tenant claim (default `tenant`).
        case tenant(ClaimPath = "tenant")
        /// A key computed from the context; `nil` counts the request under a shared "unknown" key.
        case custom(name: String, @Sendable (PolicyContext) -> String?)
    }

    /// Which limit applies.
    public enum Limit: Sendable {
        /// The same limit for every caller, named for the `RateLimit-Policy` header.
        case fixed(RateLimit, name: String)
        /// The limit of the caller's tier; callers in no tier (or a tier without a limit) are not limited.
        case tiers(TierCatalog)
    }

    /// Who is counted.
    public var key: Key
    /// What limit applies.
    public var limit: Limit

    /// Creates a rule.
    public init(key: Key, limit: Limit) {
        self.key = key
        self.limit = limit
    }

    /// The limiter key and the applicable limit for `context`, or `nil` when no limit applies.
    func resolve(_ context: PolicyContext) -> (key: String, limit: RateLimit, name: String)? {
        let name: String
        let limit: RateLimit
        switch self.limit {
        case .fixed(let fixed, let fixedName):
            limit = fixed
            name = fixedName
        case .tiers(let catalog):
            guard let tier = catalog.resolve(context), let tierLimit = tier.rateLimit else { return nil }
            limit = tierLimit
            name = tier.name
        }
        let subject: String
        switch key {
        case .subject: subject = "sub:" + (context.token.subject ?? "-")
        case .client: subject = "client:" + (context.token.clientID ?? context.token["azp"]?.stringValue ?? "-")
        case .tenant(let path): subject = "tenant:" + (context.claim(path)?.stringValue ?? "-")
        case .custom(let keyName, let compute): subject = keyName + ":" + (compute(context) ?? "-")
        }
        return (name + "|" + subject, limit, name)
    }
}
