#if Hummingbird
public import Hummingbird
public import Portcullis

/// What Portcullis keeps in a request context: the authorizer, the verified token once the
/// middleware has authenticated the request, and the principal once a requirement has allowed it;
/// for browser sign-in, the session and the CSRF-checked form.
public struct PortcullisState: Sendable {
    /// The authorizer that authenticated the request.
    public var authorizer: Authorizer?
    /// The verified token: a bearer token (``PortcullisMiddleware``), or the ID token of the
    /// signed-in session (``SessionMiddleware`` with an authorizer).
    public var token: VerifiedToken?
    /// The caller, once a route requirement allowed the request.
    public var principal: Principal?
    /// The live browser session, once ``SessionMiddleware`` has resumed it from the cookie.
    public var session: Session?
    /// The form of a state-changing post, once ``CSRFMiddleware`` has checked its CSRF token.
    public var form: VerifiedForm?

    /// An empty state (nothing authenticated yet).
    public init() {}
}

/// A Hummingbird request context that carries Portcullis state.
///
/// Add one stored property to your context and conform:
///
/// ```swift
/// struct AppContext: AuthorizedRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var portcullis = PortcullisState()
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// ```
public protocol AuthorizedRequestContext: RequestContext {
    /// The Portcullis state of this request.
    var portcullis: PortcullisState { get set }
}

extension AuthorizedRequestContext {
    /// The verified token.
    /// - Throws: A 401 ``Refusal`` when no ``PortcullisMiddleware`` authenticated the request (a
    ///   route wired without the middleware fails closed).
    public func verifiedToken() throws(Refusal) -> VerifiedToken {
        guard let token = portcullis.token else { throw Self.unauthenticated }
        return token
    }

    /// The principal that a requirement allowed.
    /// - Throws: A 401 ``Refusal`` when no requirement has been checked for this request.
    public func principal() throws(Refusal) -> Principal {
        guard let principal = portcullis.principal else { throw Self.unauthenticated }
        return principal
    }

    /// Checks `requirement` for the authenticated token with request attributes known only
    /// inside the handler (the model and `max_tokens` from the body, the resource's tenant), then
    /// counts the request against the requirement's rate limit.
    /// - Returns: The principal; also stored in ``portcullis``.
    /// - Throws: A ``Refusal`` (403, 429) that Hummingbird turns into the right response.
    @discardableResult
    public mutating func authorize(
        _ requirement: RouteRequirement, request: Request, attributes: RequestAttributes? = nil
    ) throws(Refusal) -> Principal {
        guard let authorizer = portcullis.authorizer, let token = portcullis.token else { throw Self.unauthenticated }
        let principal = try authorizer.authorize(token, request: request.head, requirement: requirement, attributes: attributes)
        portcullis.principal = principal
        return principal
    }

    /// Checks `requirement`'s policy without counting a rate limit or auditing an allow: for a
    /// cheap early refusal (a missing scope) before reading a body. A refusal is audited.
    public func precheck(_ requirement: RouteRequirement, request: Request) throws(Refusal) {
        guard let authorizer = portcullis.authorizer, let token = portcullis.token else { throw Self.unauthenticated }
        try authorizer.precheck(token, request: request.head, requirement: requirement)
    }

    /// Audits and throws a refusal found by the handler (an undecodable or oversized body, an
    /// exhausted quota) so that it has the standard shape.
    public func refuse(_ error: PortcullisError, request: Request, route: String, retryAfter: Int? = nil) -> Refusal {
        guard let authorizer = portcullis.authorizer else {
            return Refusal(error, realm: "api", retryAfter: retryAfter)
        }
        return authorizer.refuse(error, request: request.head, route: route, principal: portcullis.principal, retryAfter: retryAfter)
    }

    private static var unauthenticated: Refusal {
        Refusal(PortcullisError(.missingToken, "the request was not authenticated"), realm: "api")
    }
}

/// A ready-made context for applications that need nothing else.
public struct PortcullisRequestContext: AuthorizedRequestContext {
    /// Hummingbird's core storage.
    public var coreContext: CoreRequestContextStorage
    /// The Portcullis state.
    public var portcullis: PortcullisState

    /// Creates the context for a request.
    public init(source: Source) {
        coreContext = .init(source: source)
        portcullis = PortcullisState()
    }
}
#endif
