import CoreMetrics
public import HTTPTypes
public import PortcullisJOSE
public import PortcullisJWT
public import PortcullisPolicy

/// The framework-neutral middleware core: bearer token → verified token → policy → rate limit →
/// ``Principal``, or a ready-to-send ``Refusal``.
///
/// ```swift
/// let authorizer = Authorizer(verifier: verifier, configuration: .init(realm: "completions"))
/// do {
///     let principal = try await authorizer.authorize(request, requirement: .scopes("completions"))
///     // serve the request; add principal.rateLimitFields to the response
/// } catch {
///     // send error.response with error.body
/// }
/// ```
///
/// Routes whose policy needs the request body (the requested model, `max_tokens`) call
/// ``authenticate(_:formBody:route:)`` first, decode the body, then ``authorize(_:request:requirement:attributes:)``.
/// Every decision is audited (swift-log, swift-metrics) without the token.
public struct Authorizer: Sendable {
    /// Verifies tokens (a `JWTVerifier`, or a verifier with remote keys).
    public let verifier: any TokenVerifying
    /// The configuration.
    public let configuration: AuthorizerConfiguration
    private let recorder: AuditRecorder

    /// Creates an authorizer.
    public init(verifier: any TokenVerifying, configuration: AuthorizerConfiguration = AuthorizerConfiguration()) {
        self.verifier = verifier
        self.configuration = configuration
        self.recorder = AuditRecorder(configuration.audit)
    }

    /// Extracts and verifies the bearer token of `request`.
    /// - Parameters:
    ///   - formBody: The form-encoded body, when the adapter read one (see ``BearerTokenExtractor``).
    ///   - route: The route's name, for the audit event of a refusal.
    /// - Throws: A ``Refusal`` (401 or 400) when there is no acceptable token.
    public func authenticate(_ request: HTTPRequest, formBody: [UInt8]? = nil, route: String? = nil) async throws(Refusal) -> VerifiedToken {
        let start = ContinuousClock.now
        do {
            let token = try configuration.extractor.token(in: request, formBody: formBody)
            let verified = try await verifier.verifyToken(token)
            recorder.verificationTimer.recordNanoseconds(Self.nanoseconds(since: start))
            return verified
        } catch {
            let refusal = Refusal(error, realm: configuration.realm)
            var event = AuthorizationEvent(
                allowed: false, route: route ?? request.path.map(Self.pathWithoutQuery) ?? "/",
                method: request.method.rawValue, latencyMicroseconds: Self.microseconds(since: start))
            event.reason = refusal.code
            event.message = refusal.message
            event.status = refusal.status.code
            recorder.record(event)
            throw refusal
        }
    }

    /// Evaluates `requirement` for a verified token, then counts the request against the route's
    /// rate limit.
    /// - Throws: A ``Refusal`` (403 or 429) naming the rule that refused.
    public func authorize(
        _ token: VerifiedToken, request: HTTPRequest, requirement: RouteRequirement,
        attributes: RequestAttributes? = nil
    ) throws(Refusal) -> Principal {
        let start = ContinuousClock.now
        let attributes = attributes ?? RequestAttributes(
            method: request.method.rawValue, route: request.path.map(Self.pathWithoutQuery) ?? "/")
        let context = PolicyContext(token: token, request: attributes, now: configuration.clock())

        // Every decision is counted; the event (claim lookups, strings) is built only when a log
        // level or a sink will read it.
        func audit(_ refusal: Refusal?, policy: String?) {
            recorder.count(allowed: refusal == nil, reason: refusal?.code)
            guard recorder.wantsEvent(allowed: refusal == nil) else { return }
            var event = AuthorizationEvent(
                allowed: refusal == nil, route: requirement.name, method: request.method.rawValue,
                latencyMicroseconds: Self.microseconds(since: start))
            event.record(token, scopes: context.scopes)
            if let refusal {
                event.reason = refusal.code
                event.message = refusal.message
                event.status = refusal.status.code
                event.policy = policy
            }
            recorder.emit(event)
        }

        if case .deny(let denial) = requirement.policy.evaluate(context) {
            let refusal = Refusal(denial, realm: configuration.realm)
            audit(refusal, policy: Self.policyPath(denial))
            throw refusal
        }
        var status: RateLimitStatus?
        var limitName: String?
        if let rule = requirement.rateLimit, let (key, limit, name) = rule.resolve(context) {
            let checked = configuration.rateLimiter.check(key, limit: limit)
            if !checked.allowed {
                let error = PortcullisError(
                    .rateLimited,
                    "rate limit of \(limit.requests) requests per \(Int(limit.period)) s (\(name)) exceeded; retry in \(checked.retryAfterSeconds) s")
                let refusal = Refusal(
                    error, realm: configuration.realm, retryAfter: checked.retryAfterSeconds,
                    extraFields: RateLimitHeaders.fields(checked, name: name))
                audit(refusal, policy: "rate_limit(\(name))")
                throw refusal
            }
            status = checked
            limitName = name
        }
        audit(nil, policy: nil)
        return Principal(
            token: token, context: context, route: requirement.name, rateLimit: status, rateLimitName: limitName)
    }

    /// Evaluates `requirement`'s policy only — no rate limit, no audit event when it allows — for
    /// an early refusal (a missing scope) before the handler reads the body. A denial is audited.
    public func precheck(_ token: VerifiedToken, request: HTTPRequest, requirement: RouteRequirement) throws(Refusal) {
        let context = PolicyContext(
            token: token, request: RequestAttributes(method: request.method.rawValue, route: requirement.name),
            now: configuration.clock())
        guard case .deny(let denial) = requirement.policy.evaluate(context) else { return }
        let refusal = Refusal(denial, realm: configuration.realm)
        var event = AuthorizationEvent(allowed: false, route: requirement.name, method: request.method.rawValue, latencyMicroseconds: 0)
        event.record(token, scopes: context.scopes)
        event.reason = refusal.code
        event.message = refusal.message
        event.status = refusal.status.code
        event.policy = Self.policyPath(denial)
        recorder.record(event)
        throw refusal
    }

    /// ``authenticate(_:formBody:route:)`` then ``authorize(_:request:requirement:attributes:)``.
    public func authorize(
        _ request: HTTPRequest, requirement: RouteRequirement, attributes: RequestAttributes? = nil,
        formBody: [UInt8]? = nil
    ) async throws(Refusal) -> Principal {
        let token = try await authenticate(request, formBody: formBody, route: requirement.name)
        return try authorize(token, request: request, requirement: requirement, attributes: attributes)
    }

    /// Audits and builds the refusal for an error found outside the authorizer (an undecodable or
    /// oversized body, an exhausted quota) so that every refusal has the same shape and is logged.
    public func refuse(
        _ error: PortcullisError, request: HTTPRequest, route: String, principal: Principal? = nil,
        retryAfter: Int? = nil
    ) -> Refusal {
        let refusal = Refusal(error, realm: configuration.realm, retryAfter: retryAfter)
        var event = AuthorizationEvent(allowed: false, route: route, method: request.method.rawValue, latencyMicroseconds: 0)
        if let principal { event.record(principal.token, scopes: principal.scopes) }
        event.reason = refusal.code
        event.message = refusal.message
        event.status = refusal.status.code
        recorder.record(event)
        return refusal
    }

    /// The names from the root of a denial tree down its first branch: `completions/tier`.
    static func policyPath(_ denial: Denial) -> String {
        var names = [denial.policy]
        var node = denial
        while let child = node.children.first {
            names.append(child.policy)
            node = child
        }
        return names.joined(separator: "/")
    }

    static func pathWithoutQuery(_ path: String) -> String {
        if let mark = path.firstIndex(of: "?") { String(path[..<mark]) } else { path }
    }

    static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    static func microseconds(since start: ContinuousClock.Instant) -> Int {
        Int(nanoseconds(since: start) / 1_000)
    }
}

/// The settings of an ``Authorizer``.
public struct AuthorizerConfiguration: Sendable {
    /// The `realm` of every challenge (RFC 6750 §3).
    public var realm: String
    /// Where tokens are looked for.
    public var extractor: BearerTokenExtractor
    /// Audit logging and metrics.
    public var audit: AuditConfiguration
    /// The limiter that rate-limited routes count against.
    public var rateLimiter: RateLimiter
    /// The policy clock (for `auth_time` recency and similar rules).
    public var clock: @Sendable () -> NumericDate

    /// Creates a configuration.
    public init(
        realm: String = "api", extractor: BearerTokenExtractor = BearerTokenExtractor(),
        audit: AuditConfiguration = AuditConfiguration(), rateLimiter: RateLimiter = RateLimiter(),
        clock: @escaping @Sendable () -> NumericDate = { NumericDate.now }
    ) {
        self.realm = realm
        self.extractor = extractor
        self.audit = audit
        self.rateLimiter = rateLimiter
        self.clock = clock
    }
}
