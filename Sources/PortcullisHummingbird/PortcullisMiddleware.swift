#if Hummingbird
public import Hummingbird
public import Portcullis

/// Puts Portcullis in front of a Hummingbird router or group.
///
/// With a requirement it authenticates and authorizes every request (policy and rate limit), and
/// adds the `RateLimit-Policy`/`RateLimit` headers to the response. Without one it only
/// authenticates, and handlers call ``AuthorizedRequestContext/authorize(_:request:attributes:)``
/// once they know the request's attributes (the model from the body, the resource's tenant).
///
/// ```swift
/// let router = Router(context: PortcullisRequestContext.self)
/// router.group("v1")
///     .add(middleware: PortcullisMiddleware(authorizer, requirement: .scopes("models:read")))
///     .get("models") { _, context in try context.principal().subject ?? "" }
/// ```
///
/// Refusals become responses with the status, RFC 6750 challenge and JSON body of
/// ``ResponseTable``; nothing after a refusal runs.
public struct PortcullisMiddleware<Context: AuthorizedRequestContext>: RouterMiddleware {
    /// The authorizer.
    public let authorizer: Authorizer
    /// The requirement checked for every request, or `nil` to authenticate only.
    public let requirement: RouteRequirement?

    /// Creates the middleware.
    public init(_ authorizer: Authorizer, requirement: RouteRequirement? = nil) {
        self.authorizer = authorizer
        self.requirement = requirement
    }

    /// Authenticates (and authorizes) the request, then calls the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.portcullis.authorizer = authorizer
        do {
            let token = try await authorizer.authenticate(request.head, route: requirement?.name ?? context.endpointPath)
            context.portcullis.token = token
            if let requirement {
                context.portcullis.principal = try authorizer.authorize(token, request: request.head, requirement: requirement)
            }
        } catch {
            return error.hummingbirdResponse
        }
        do {
            var response = try await next(request, context)
            if let principal = context.portcullis.principal {
                response.headers.append(contentsOf: principal.rateLimitFields)
            }
            return response
        } catch let refusal as Refusal {
            return refusal.hummingbirdResponse
        }
    }
}

extension Refusal {
    /// The refusal as a Hummingbird response: status, headers and the JSON body.
    public var hummingbirdResponse: Response {
        let body = self.body
        var headers = response.headerFields
        headers[.contentLength] = String(body.count)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Refusal: HTTPResponseError {
    /// Generates the response when a handler throws the refusal.
    public func response(from request: Request, context: some RequestContext) throws -> Response { hummingbirdResponse }
}
#endif
