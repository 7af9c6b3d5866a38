import Foundation
public import Hummingbird
public import Logging
public import Portcullis
public import PortcullisHummingbird

/// The free/premium completion server: routes, authorization and the development issuer.
public struct CompletionServer: Sendable {
    /// The request context: Hummingbird's plus Portcullis state.
    public typealias Context = PortcullisRequestContext

    /// The configuration.
    public let configuration: CompletionServerConfiguration
    /// The authorizer every protected route uses.
    public let authorizer: Authorizer
    /// The development issuer, when the server runs one.
    public let developmentIssuer: DevelopmentIssuer?
    private let catalog: TierCatalog
    /// What `/v1/completions` (policy, tier rate limit) and `/v1/models` require: built in Swift by
    /// ``CompletionTiers``, or read from a policy file.
    private let completionsRequirement: RouteRequirement
    private let modelsRequirement: RouteRequirement
    /// The early check before the body is read: the completions policy without request attributes.
    private let completionsPrecheck: RouteRequirement
    private let generator = TextGenerator()

    /// Builds the server: creates the development issuer or loads the external issuer's keys.
    /// - Parameters:
    ///   - audit: Where decisions are logged and counted (tests pass their own).
    ///   - rateLimiter: Counts the tiers' rate limits (tests give it a fixed clock).
    public init(
        configuration: CompletionServerConfiguration, audit: AuditConfiguration = AuditConfiguration(),
        rateLimiter: RateLimiter = RateLimiter()
    ) async throws {
        self.configuration = configuration
        if let file = configuration.policyFile {
            let document = try PolicyDocument.load(contentsOf: URL(fileURLWithPath: file))
            guard var catalog = document.catalog,
                let completions = document.policy(forMethod: "POST", route: "/v1/completions"),
                let models = document.policy(forMethod: "GET", route: "/v1/models")
            else {
                throw PortcullisError(
                    .malformed, "\(file): the policy file needs tiers and the routes POST /v1/completions and GET /v1/models")
            }
            if !configuration.rateLimits { for index in catalog.tiers.indices { catalog.tiers[index].rateLimit = nil } }
            let limit = RateLimitRule(key: .subject, limit: .tiers(catalog))
            self.catalog = catalog
            completionsRequirement = RouteRequirement("completions", policy: completions, rateLimit: limit)
            modelsRequirement = RouteRequirement("models", policy: models, rateLimit: limit)
            completionsPrecheck = RouteRequirement("completions", policy: completions)
        } else {
            let catalog = CompletionTiers.catalog(rateLimits: configuration.rateLimits)
            self.catalog = catalog
            completionsRequirement = CompletionTiers.completions(catalog)
            modelsRequirement = CompletionTiers.models(catalog)
            completionsPrecheck = CompletionTiers.completionsScope
        }
        let verifier: any TokenVerifying
        switch configuration.issuer {
        case .development(let algorithm):
            let issuer = try DevelopmentIssuer(
                issuer: configuration.publicURL, audience: configuration.developmentAudience, algorithm: algorithm)
            developmentIssuer = issuer
            verifier = JWTVerifier(keys: issuer.keySet, configuration: Self.verifierConfiguration(
                issuer: issuer.issuer, audience: issuer.audience, keys: issuer.keySet))
        case .external(let issuer, let audience, let source):
            developmentIssuer = nil
            verifier = try await KeyLoader.verifier(for: source, issuer: issuer, audience: audience)
        }
        authorizer = Authorizer(
            verifier: verifier, configuration: AuthorizerConfiguration(realm: "completions", audit: audit, rateLimiter: rateLimiter))
    }

    /// Accepts the algorithms of the trusted keys only (or, when the keys do not say, the
    /// asymmetric algorithms), checks `iss` and `aud`, and requires `exp` (always) and `sub` (the
    /// rate-limit key).
    static func verifierConfiguration(issuer: String, audience: String, keys: KeySet?) -> VerifierConfiguration {
        let algorithms = Set((keys?.keys ?? []).compactMap(\.algorithm))
        var configuration = VerifierConfiguration(
            algorithms: algorithms.isEmpty ? OIDCVerifier.defaultAlgorithms : algorithms,
            issuers: [issuer], audiences: [audience])
        configuration.requiredClaims = ["sub"]
        return configuration
    }

    /// The router with every route of the contract.
    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.get("healthz") { _, _ in Self.json(["status": .string("ok")]) }
        if let developmentIssuer {
            DevelopmentRoutes(issuer: developmentIssuer).register(on: router)
        }
        if configuration.benchmarkBaseline {
            let free = CompletionTiers.free
            router.get("bench/models") { _, _ in Self.json(Self.modelList(free)) }
        }
        let api = router.group("v1").add(middleware: PortcullisMiddleware<Context>(authorizer))
        api.get("models") { request, context in try self.models(request, context) }
        api.post("completions") { request, context in try await self.completions(request, context) }
        return router
    }

    /// A Hummingbird application serving ``router()`` on the configured address.
    public func application(logger: Logger, onServerRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "portcullis-completions"),
            onServerRunning: { _ in await onServerRunning() },
            logger: logger)
    }

    private func models(_ request: Request, _ context: Context) throws -> Response {
        var context = context
        let principal = try context.authorize(modelsRequirement, request: request)
        return Self.json(Self.modelList(catalog.resolve(principal.context)), principal: principal)
    }

    /// `{"object": "list", "tier": …, "data": [{"id", "object", "max_tokens"}]}` for `tier`.
    static func modelList(_ tier: Tier?) -> JSONObject {
        let models = (tier?.models ?? []).map { name -> JSONValue in
            .object(["id": .string(name), "object": .string("model"), "max_tokens": .number(JSONNumber(tier?.maxTokens ?? 0))])
        }
        return ["object": .string("list"), "tier": tier.map { .string($0.name) } ?? .null, "data": .array(models)]
    }

    private func completions(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        try context.precheck(completionsPrecheck, request: request)
        var request = request
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.collectBody(upTo: configuration.maximumBodySize))
        } catch {
            throw context.refuse(
                PortcullisError(.requestTooLarge, "the body is larger than \(configuration.maximumBodySize) bytes"),
                request: request, route: "completions")
        }
        let completion: CompletionRequest
        do {
            completion = try CompletionRequest(json: body)
        } catch {
            throw context.refuse(error, request: request, route: "completions")
        }
        let attributes = RequestAttributes(
            method: "POST", route: "/v1/completions", model: completion.model, maxTokens: completion.maxTokens)
        let principal = try context.authorize(completionsRequirement, request: request, attributes: attributes)
        let output = generator.complete(prompt: completion.prompt, model: completion.model, maxTokens: completion.maxTokens)
        let promptTokens = generator.tokenCount(completion.prompt)
        let response: JSONObject = [
            "id": .string("cmpl-" + Base64URL.encode(try SecureRandom.bytes(9))),
            "object": .string("text_completion"),
            "created": .number(JSONNumber(Int64(Date().timeIntervalSince1970))),
            "model": .string(completion.model),
            "choices": .array([.object([
                "index": .number(JSONNumber(0)),
                "text": .string(output.text),
                "finish_reason": .string(output.truncated ? "length" : "stop"),
            ])]),
            "usage": .object([
                "prompt_tokens": .number(JSONNumber(promptTokens)),
                "completion_tokens": .number(JSONNumber(output.tokens)),
                "total_tokens": .number(JSONNumber(promptTokens + output.tokens)),
            ]),
        ]
        return Self.json(response, principal: principal)
    }

    /// A JSON response, with the principal's rate-limit headers.
    static func json(_ object: JSONObject, status: HTTPResponse.Status = .ok, principal: Principal? = nil) -> Response {
        let bytes = JSONValue.object(object).serializedBytes()
        var headers: HTTPFields = [.contentType: "application/json"]
        if let principal { headers.append(contentsOf: principal.rateLimitFields) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
