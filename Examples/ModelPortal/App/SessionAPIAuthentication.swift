import Hummingbird
import Portcullis
import PortcullisHummingbird

/// `/api/` authentication: a bearer access token (``PortcullisMiddleware``), or — when the
/// request has no `Authorization` header — the browser's session cookie. A cookie-authenticated
/// request that is not `GET`/`HEAD` must declare `Content-Type: application/json`: a cross-site
/// HTML form cannot send that type without a CORS preflight the portal never grants, so the
/// cookie cannot be ridden by a forged form (DESIGN.md: "the session cookie (JSON bodies only)").
struct SessionAPIAuthentication: RouterMiddleware {
    typealias Context = ModelPortal.Context
    let authorizer: Authorizer
    let signIn: OIDCSignIn?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let bearer = PortcullisMiddleware<Context>(authorizer)
        guard request.headers[.authorization] == nil, let signIn,
              !CookieHeader.values(named: signIn.sessions.configuration.cookieName, in: request.headers[values: .cookie]).isEmpty
        else { return try await bearer.handle(request, context: context, next: next) }
        // An ended session is no credential: the bearer middleware answers 401 missing_token with
        // its challenge (RFC 6750 §3).
        guard let session = await signIn.session(for: request) else {
            return try await bearer.handle(request, context: context, next: next)
        }
        if request.method != .get, request.method != .head {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type == "application/json" || type.hasPrefix("application/json;") else {
                return APIResponse.error(
                    "invalid_request", "requests authenticated by the session cookie must have Content-Type: application/json",
                    status: .unsupportedMediaType)
            }
        }
        var context = context
        context.portcullis.authorizer = authorizer
        context.portcullis.token = session.token
        do {
            return try await next(request, context)
        } catch let refusal as Refusal {
            return refusal.hummingbirdResponse
        }
    }
}
