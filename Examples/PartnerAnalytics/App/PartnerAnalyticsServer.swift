import Foundation
public import Hummingbird
public import Logging
public import Portcullis
public import PortcullisHummingbird
public import PortcullisTokenExchange

/// The partner analytics example: an RFC 8693 token-exchange service and the analytics API that
/// accepts its tokens, in one process (DESIGN.md, "the partner analytics example").
public struct PartnerAnalyticsServer: Sendable {
    /// The request context.
    public typealias Context = PortcullisRequestContext

    /// The configuration.
    public let configuration: PartnerAnalyticsConfiguration
    /// The token-exchange service behind `POST /oauth2/token`.
    public let exchange: TokenExchangeService
    /// The service's signing keys (rotate them with ``ExchangeSigningKeys/rotate()``).
    public let keys: ExchangeSigningKeys
    /// The authorizer of the analytics API.
    public let authorizer: Authorizer
    /// The built-in partner identity provider, in development mode.
    public let partnerProvider: PartnerIdentityProvider?
    /// The datasets.
    public let datasets: Datasets
    /// Daily query usage per tenant.
    public let ledger: InMemoryUsageLedger
    private let clock: @Sendable () -> NumericDate

    /// Builds the server.
    /// - Parameters:
    ///   - audit: Where API decisions and exchanges are logged.
    ///   - clock: The time (tests move it to another UTC day).
    public init(
        configuration: PartnerAnalyticsConfiguration, audit: AuditConfiguration = AuditConfiguration(),
        clock: @escaping @Sendable () -> NumericDate = { .now }
    ) throws {
        var configuration = configuration
        let base = configuration.publicURL
        var exchangeConfiguration = TokenExchangeConfiguration(issuer: base, tokenLifetime: configuration.tokenLifetime)
        exchangeConfiguration.clock = clock
        let audiences = [exchangeConfiguration.issuer, exchangeConfiguration.tokenEndpoint]
        let issuers: [String]
        if configuration.developmentMode {
            let provider = try PartnerIdentityProvider(issuer: base + "/partner", audience: base)
            partnerProvider = provider
            issuers = [provider.issuer]
            if configuration.clients.isEmpty {
                let tenant = PartnerAnalyticsConfiguration.demoTenant
                configuration.clients = [try ExchangeClient(
                    id: PartnerAnalyticsConfiguration.demoClientID, credential: .secret(PartnerAnalyticsConfiguration.demoClientSecret),
                    tenant: tenant, allowedScopes: ["dataset:read:\(tenant)", "dataset:query:\(tenant)"])]
            }
            let other = PartnerAnalyticsConfiguration.otherDemoTenant
            configuration.tiers[other] = configuration.tiers[other] ?? "free"
        } else {
            partnerProvider = nil
            issuers = configuration.partnerIssuers
        }
        let verifier = try PartnerIssuers.verifier(
            issuers: issuers, audiences: audiences,
            allowsLoopbackHTTP: issuers.allSatisfy { URL(string: $0).flatMap(\.host).map(RemoteURLRule.isLoopback) ?? false },
            clock: clock)
        let keys = try ExchangeSigningKeys(algorithm: .es256)
        self.keys = keys
        self.exchange = try TokenExchangeService(
            configuration: exchangeConfiguration, clients: configuration.clients, subjectVerifier: verifier,
            policy: ExchangePolicy(audiences: [base]), keys: keys, logger: audit.logger)
        self.authorizer = Authorizer(
            verifier: IssuedTokenVerifier(keys: keys, issuer: base, audience: base, clock: clock),
            configuration: AuthorizerConfiguration(realm: "analytics", audit: audit))
        self.datasets = Datasets(tenants: configuration.clients.map(\.tenant) + configuration.tiers.keys)
        self.ledger = InMemoryUsageLedger()
        self.clock = clock
        self.configuration = configuration
    }

    /// The tier of `tenant` (`free` unless configured).
    public func tier(of tenant: String) -> String { configuration.tiers[tenant] ?? "free" }

    /// The router with every route of the contract.
    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.get("healthz") { _, _ in Self.json(["status": .string("ok")]) }
        router.addTokenExchange(exchange)
        if let partnerProvider {
            PartnerIdentityRoutes(provider: partnerProvider).register(on: router)
        }
        AnalyticsRoutes(server: self, clock: clock).register(on: router)
        return router
    }

    /// A Hummingbird application serving ``router()``.
    public func application(logger: Logger, onServerRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "portcullis-partner-analytics"),
            onServerRunning: { _ in await onServerRunning() },
            logger: logger)
    }

    /// A JSON response.
    static func json(_ object: JSONObject, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(object).serializedBytes())))
    }
}
