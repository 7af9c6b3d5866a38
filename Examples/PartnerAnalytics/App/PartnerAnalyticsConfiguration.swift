public import PortcullisTokenExchange

/// How the partner analytics example runs (DESIGN.md, "the partner analytics example").
public struct PartnerAnalyticsConfiguration: Sendable {
    /// The address to listen on (default `127.0.0.1`).
    public var host: String
    /// The port (default 8090).
    public var port: Int
    /// The service's public URL: the exchange service's issuer and the API's audience
    /// (default `http://127.0.0.1:{port}`).
    public var publicURLOverride: String?
    /// Trusted partner identity providers. Empty: the built-in partner provider and demo client run.
    public var partnerIssuers: [String]
    /// Registered partner applications.
    public var clients: [ExchangeClient]
    /// Each tenant's subscription tier (`free` unless listed).
    public var tiers: [String: String]
    /// Lifetime of exchanged tokens, in seconds (default 300).
    public var tokenLifetime: Double

    /// The demo client of development mode.
    public static let demoClientID = "demo-partner"
    /// Its secret.
    public static let demoClientSecret = "demo-secret"
    /// Its tenant.
    public static let demoTenant = "t123"
    /// A second tenant seeded in development mode, to show that `t123` cannot reach it.
    public static let otherDemoTenant = "t456"

    /// Creates a configuration; the defaults run development mode on 127.0.0.1:8090.
    public init(
        host: String = "127.0.0.1", port: Int = 8090, publicURL: String? = nil, partnerIssuers: [String] = [],
        clients: [ExchangeClient] = [], tiers: [String: String] = [:], tokenLifetime: Double = 300
    ) {
        self.host = host
        self.port = port
        self.publicURLOverride = publicURL
        self.partnerIssuers = partnerIssuers
        self.clients = clients
        self.tiers = tiers
        self.tokenLifetime = tokenLifetime
    }

    /// Whether the built-in partner identity provider and demo client run.
    public var developmentMode: Bool { partnerIssuers.isEmpty }

    /// The public URL, without a trailing slash.
    public var publicURL: String {
        if let publicURLOverride { return publicURLOverride.hasSuffix("/") ? String(publicURLOverride.dropLast()) : publicURLOverride }
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
    }

    /// Parses `--client ID:SECRET:TENANT:SCOPES`: split at the first three colons (scopes contain
    /// colons); scopes separated by spaces or commas.
    /// - Throws: `malformed` for fewer than four parts or an empty part.
    public static func client(parsing text: String) throws -> ExchangeClient {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError("--client must be ID:SECRET:TENANT:SCOPES (got \"\(text)\")")
        }
        let scopes = parts[3].split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        return try ExchangeClient(id: parts[0], credential: .secret(parts[1]), tenant: parts[2], allowedScopes: scopes)
    }

    /// Parses `--tier TENANT:TIER` (`free` or `premium`).
    public static func tier(parsing text: String) throws -> (tenant: String, tier: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, AnalyticsTiers.quotas[parts[1]] != nil else {
            throw ConfigurationError("--tier must be TENANT:free or TENANT:premium (got \"\(text)\")")
        }
        return (parts[0], parts[1])
    }
}

/// A configuration mistake, reported at start.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// Tiers and their daily query quotas.
public enum AnalyticsTiers {
    /// Queries per UTC day: free 100, premium 10,000.
    public static let quotas: [String: Int] = ["free": 100, "premium": 10_000]
}
