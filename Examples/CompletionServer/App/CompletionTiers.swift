public import Portcullis

/// The completion API's tiers and route requirements (DESIGN.md, "the example completion server").
public enum CompletionTiers {
    /// Every model the server offers.
    public static let models = ["small", "large"]
    /// The hard ceiling on `max_tokens`, whatever the tier.
    public static let maximumTokens = 4096

    /// Free: scope `completions`; model `small`; `max_tokens` ≤ 256; 10 requests per minute.
    public static let free = Tier(
        name: "free", scopes: ["completions"], models: ["small"], maxTokens: 256, rateLimit: .perMinute(10))
    /// Premium: also `completions:premium`; every model; `max_tokens` ≤ 4096; 100 requests per minute.
    public static let premium = Tier(
        name: "premium", scopes: ["completions", "completions:premium"], models: ["small", "large"],
        maxTokens: 4096, rateLimit: .perMinute(100))

    /// The catalog: tiers resolved from scopes, the highest held in full wins.
    public static func catalog(rateLimits: Bool = true) -> TierCatalog {
        var tiers = [free, premium]
        if !rateLimits { for index in tiers.indices { tiers[index].rateLimit = nil } }
        return TierCatalog(tiers: tiers, source: .scopes)
    }

    /// `POST /v1/completions` before the body is read: the `completions` scope.
    public static let completionsScope = RouteRequirement("completions", policy: RequireScopes(allOf: ["completions"]))

    /// `POST /v1/completions` once the body is known: the scope, the tier's model and
    /// `max_tokens`, and the tier's rate limit per subject.
    public static func completions(_ catalog: TierCatalog) -> RouteRequirement {
        RouteRequirement("completions", rateLimit: RateLimitRule(key: .subject, limit: .tiers(catalog))) {
            RequireScopes(allOf: ["completions"])
            TierLimits(catalog)
        }
    }

    /// `GET /v1/models`: the `completions` scope, counted against the same per-subject limit.
    public static func models(_ catalog: TierCatalog) -> RouteRequirement {
        RouteRequirement(
            "models", policy: RequireScopes(allOf: ["completions"]),
            rateLimit: RateLimitRule(key: .subject, limit: .tiers(catalog)))
    }
}
