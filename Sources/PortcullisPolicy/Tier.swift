import PortcullisJOSE

/// A subscription tier: which models it may use, how long outputs may be, and how often and how
/// much it may call.
public struct Tier: Sendable, Hashable {
    /// The tier's name (`free`, `premium`, `enterprise`).
    public var name: String
    /// Scopes that place a token in this tier, when tiers are resolved from scopes. A token is in
    /// the highest tier whose scopes it holds in full.
    public var scopes: [String]
    /// The models this tier may use.
    public var models: [String]
    /// The largest `max_tokens` a request may ask for.
    public var maxTokens: Int
    /// The request rate limit, when there is one.
    public var rateLimit: RateLimit?
    /// The usage quota, when there is one.
    public var quota: Quota?

    /// Creates a tier.
    public init(
        name: String, scopes: [String] = [], models: [String], maxTokens: Int,
        rateLimit: RateLimit? = nil, quota: Quota? = nil
    ) {
        self.name = name
        self.scopes = scopes
        self.models = models
        self.maxTokens = maxTokens
        self.rateLimit = rateLimit
        self.quota = quota
    }
}

/// A usage allowance per period, such as 100,000 completion tokens per UTC day.
public struct Quota: Sendable, Hashable {
    /// What is counted (`completion_tokens`, `queries`).
    public var unit: String
    /// How many units each period allows.
    public var limit: Int
    /// The period's length in seconds; periods are aligned to the Unix epoch (a day is a UTC day).
    public var period: Double

    /// Creates a quota of `limit` `unit`s per `period` seconds.
    public init(unit: String, limit: Int, period: Double) {
        self.unit = unit
        self.limit = limit
        self.period = period
    }

    /// `limit` units per UTC day.
    public static func perDay(_ limit: Int, of unit: String) -> Quota { Quota(unit: unit, limit: limit, period: 86_400) }
}

/// The tiers an application offers, and how a token's tier is found.
public struct TierCatalog: Sendable, Hashable {
    /// Where a token's tier comes from.
    public enum Source: Sendable, Hashable {
        /// The highest tier (in catalog order) whose ``Tier/scopes`` the token holds in full.
        case scopes
        /// A claim naming the tier (the DESIGN vocabulary uses `tier`).
        case claim(ClaimPath)
    }

    /// The tiers, lowest first.
    public var tiers: [Tier]
    /// How a token's tier is resolved.
    public var source: Source
    /// The tier for tokens that match none; `nil` refuses them.
    public var defaultTier: String?

    /// Creates a catalog; `tiers` go lowest first.
    public init(tiers: [Tier], source: Source = .scopes, defaultTier: String? = nil) {
        self.tiers = tiers
        self.source = source
        self.defaultTier = defaultTier
    }

    /// The tier called `name`.
    public func tier(named name: String) -> Tier? { tiers.first { $0.name == name } }

    /// The token's tier, or `nil` when it has none (and there is no default).
    public func resolve(_ context: PolicyContext) -> Tier? {
        switch source {
        case .scopes:
            if let tier = tiers.last(where: { tier in !tier.scopes.isEmpty && tier.scopes.allSatisfy(context.hasScope) }) {
                return tier
            }
        case .claim(let path):
            if case .string(let name)? = context.claim(path), let tier = tier(named: name) { return tier }
        }
        return defaultTier.flatMap(tier(named:))
    }
}

/// Enforces a token's tier on an inference request: the model must be one of the tier's models and
/// `max_tokens` at most the tier's cap.
///
/// When tiers come from scopes and a higher tier would allow the request, the denial is
/// `insufficient_scope` naming that tier's scopes (so the challenge tells the client what to ask
/// for); otherwise it is `access_denied`.
public struct TierLimits: Policy {
    /// The tiers.
    public let catalog: TierCatalog
    /// `"tier"`.
    public var name: String { "tier" }

    /// Enforces `catalog`.
    public init(_ catalog: TierCatalog) {
        self.catalog = catalog
    }

    /// Resolves the tier and checks the model and `max_tokens`.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        guard let tier = catalog.resolve(context) else {
            return .deny(Denial(
                .accessDenied, policy: name, message: "the token is in no tier",
                claim: claimName, expected: catalog.tiers.map(\.name).joined(separator: ", "), actual: "none"))
        }
        if let model = context.request.model, !tier.models.contains(model) {
            return deny(
                context, tier: tier, message: "the \(tier.name) tier may not use model \"\(model)\"",
                claim: "model", expected: tier.models.joined(separator: ", "), actual: model
            ) { $0.models.contains(model) }
        }
        if let maxTokens = context.request.maxTokens, maxTokens > tier.maxTokens {
            return deny(
                context, tier: tier, message: "the \(tier.name) tier allows max_tokens up to \(tier.maxTokens)",
                claim: "max_tokens", expected: "at most \(tier.maxTokens)", actual: String(maxTokens)
            ) { maxTokens <= $0.maxTokens }
        }
        return .allow
    }

    private var claimName: String? {
        if case .claim(let path) = catalog.source { path.description } else { "scope" }
    }

    private func deny(
        _ context: PolicyContext, tier: Tier, message: String, claim: String, expected: String, actual: String,
        allowedBy: (Tier) -> Bool
    ) -> PolicyDecision {
        if case .scopes = catalog.source, let upgrade = catalog.tiers.first(where: { $0 != tier && allowedBy($0) && !$0.scopes.isEmpty }) {
            return .deny(Denial(
                .insufficientScope, policy: name, message: message + "; the \(upgrade.name) tier allows it",
                claim: claim, expected: expected, actual: actual, requiredScopes: upgrade.scopes))
        }
        return .deny(Denial(.accessDenied, policy: name, message: message, claim: claim, expected: expected, actual: actual))
    }
}
