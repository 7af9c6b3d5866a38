import Foundation
public import Hummingbird
public import Logging
public import Portcullis
public import PortcullisHummingbird

/// The model portal's JSON API (DESIGN.md, "the model portal example"): models listed, uploaded,
/// deployed and deleted according to the roles in the caller's token.
///
/// Bearer tokens come from one issuer: a real OpenID provider found through discovery
/// (`--issuer`), or the built-in development issuer. Their roles are mapped to permissions by
/// ``PortalPermissions``.
public struct ModelPortal: Sendable {
    /// The request context: Hummingbird's plus Portcullis state.
    public typealias Context = PortcullisRequestContext

    /// The configuration.
    public let configuration: ModelPortalConfiguration
    /// The authorizer every `/api/` route uses.
    public let authorizer: Authorizer
    /// The permission each action needs.
    public let permissions: PortalPermissions
    /// The models.
    public let registry: ModelRegistry
    /// The development issuer, when the portal runs one.
    public let developmentIssuer: PortalDevelopmentIssuer?
    /// The external provider, when `--issuer` named one (discovered on first use).
    public let provider: OIDCProvider?
    /// The browser sign-in, with an external provider (Docs/SignIn.md).
    public let signIn: OIDCSignIn?

    /// Builds the portal. Nothing is fetched yet: an external provider's metadata and keys are
    /// discovered on the first token (or ``checkProvider()``).
    /// - Parameters:
    ///   - registry: The models (a seeded registry by default).
    ///   - audit: Where decisions are logged and counted.
    ///   - clock: Seconds since 1970 for sessions and pending sign-ins (tests inject one).
    /// - Throws: `invalid_issuer` for an issuer URL that is not `https` (or `http` on loopback);
    ///   `invalid_key` for unusable session keys.
    public init(
        configuration: ModelPortalConfiguration, registry: ModelRegistry = .seeded(),
        audit: AuditConfiguration = AuditConfiguration(),
        clock: @escaping @Sendable () -> Double = { NumericDate.now.secondsSince1970 }
    ) throws(PortcullisError) {
        self.configuration = configuration
        self.registry = registry
        self.permissions = PortalPermissions(claim: configuration.rolesClaim)
        var rules = VerifierConfiguration(algorithms: [], audiences: configuration.audiences)
        rules.requiredClaims = ["sub"]
        let verifier: any TokenVerifying
        switch configuration.issuer {
        case .development:
            let issuer = try PortalDevelopmentIssuer(
                issuer: configuration.publicURL, audience: configuration.clientID, rolesClaim: configuration.rolesClaim)
            developmentIssuer = issuer
            provider = nil
            signIn = nil
            rules.algorithms = [.es256]
            rules.issuers = [issuer.issuer]
            verifier = JWTVerifier(keys: issuer.keySet, configuration: rules)
        case .external(let issuer):
            var providerConfiguration = OIDCProviderConfiguration()
            // Plain http only for a loopback issuer (development); the JWK Set URL must then be on
            // loopback too. Everything else needs https (OpenID Connect Discovery 1.0 §3).
            providerConfiguration.allowsLoopbackHTTP = Self.isLoopbackHTTP(issuer)
            let provider = try OIDCProvider(issuer: issuer, configuration: providerConfiguration)
            developmentIssuer = nil
            self.provider = provider
            signIn = try PortalSignIn.make(provider: provider, configuration: configuration, clock: clock)
            verifier = OIDCVerifier(provider: provider, configuration: rules)
        }
        authorizer = Authorizer(
            verifier: AccessTokenTypeCheck(verifier, acceptsUntyped: configuration.acceptsUntypedTokens),
            configuration: AuthorizerConfiguration(realm: "model-portal", audit: audit))
    }

    /// Discovers the external provider now (to report problems at start).
    /// - Returns: The JWK Set URL, or `nil` with the development issuer.
    /// - Throws: what discovery throws (`fetch_failed`, `invalid_issuer`, …).
    @discardableResult
    public func checkProvider() async throws(PortcullisError) -> String? {
        guard let provider else { return nil }
        return try await provider.metadata().jwksURI
    }

    /// `http://` URLs whose host is `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopbackHTTP(_ issuer: String) -> Bool {
        guard let url = URL(string: issuer), url.scheme?.lowercased() == "http", let host = url.host else { return false }
        return RemoteURLRule.isLoopback(host)
    }

    /// The router: `/healthz`, the sign-in and model pages, the development issuer's routes, and
    /// the JSON API under `/api/`.
    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.get("healthz") { _, _ in APIResponse.json(["status": .string("ok")]) }
        if let developmentIssuer {
            PortalDevelopmentRoutes(issuer: developmentIssuer).register(on: router)
        }
        PortalPages(portal: self).register(on: router)
        let api = PortalAPI(portal: self)
        api.register(on: router.group("api").add(middleware: SessionAPIAuthentication(authorizer: authorizer, signIn: signIn)))
        return router
    }

    /// A Hummingbird application serving ``router()`` on the configured address.
    public func application(logger: Logger, onServerRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "portcullis-model-portal"),
            onServerRunning: { _ in await onServerRunning() },
            logger: logger)
    }
}
