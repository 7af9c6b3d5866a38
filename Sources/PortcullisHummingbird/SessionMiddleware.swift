#if Hummingbird
public import Hummingbird
public import Portcullis
import PortcullisTokenExchange

/// Puts the signed-in session into the request context (``PortcullisState/session``).
///
/// The session is resumed from the session cookie (the first live one when the browser sends
/// several; ``OIDCSignIn/session(for:)``). With `requireSignIn`, a request without a live session
/// is not passed on: a `GET` or `HEAD` is redirected (`303`) to the login route with
/// `return_to` = the current path, so the browser comes back after signing in; any other method
/// gets a `401` page, since replaying a form after a sign-in would post it without the user
/// seeing it. The sign-in routes themselves are never held back (no redirect loop).
///
/// With an `authorizer`, the session's verified ID token becomes ``PortcullisState/token``
/// (unless a bearer token was already authenticated), so handlers check route requirements with
/// ``AuthorizedRequestContext/authorize(_:request:attributes:)`` exactly as for a bearer token:
/// the same policies, rate limits and audit events; a denial is a ``Refusal``.
///
/// ```swift
/// router.group("reports")
///     .add(middleware: SessionMiddleware(signIn, authorizer: authorizer, requireSignIn: true))
///     .get { request, context in
///         var context = context
///         try context.authorize(.scopes("reports:read"), request: request)
///         return "Hello, \(try context.session().subject)"
///     }
/// ```
///
/// An outer ``SessionMiddleware`` that already resumed the session is reused, so a router-wide
/// optional one and a group's required one resume the cookie once.
public struct SessionMiddleware<Context: AuthorizedRequestContext>: RouterMiddleware {
    /// The sign-in whose sessions are resumed.
    public let signIn: OIDCSignIn
    /// The authorizer for route requirements on the session's ID token, if any.
    public let authorizer: Authorizer?
    /// Whether a request without a live session is turned away.
    public let requiresSignIn: Bool

    /// Creates the middleware.
    /// - Parameters:
    ///   - authorizer: When given, the session's ID token is authorized with it.
    ///   - requireSignIn: Redirect browsers (`GET`/`HEAD`) to the login route and answer other
    ///     methods `401` when there is no live session.
    public init(_ signIn: OIDCSignIn, authorizer: Authorizer? = nil, requireSignIn: Bool = false) {
        self.signIn = signIn
        self.authorizer = authorizer
        self.requiresSignIn = requireSignIn
    }

    /// Resumes the session, then calls the rest of the chain (or turns the request away).
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if context.portcullis.session == nil {
            context.portcullis.session = await signIn.session(for: request)
        }
        guard let session = context.portcullis.session else {
            if requiresSignIn, !signIn.paths.all.contains(request.uri.path) {
                return signIn.signInRequired(request)
            }
            return try await next(request, context)
        }
        if let authorizer, context.portcullis.token == nil {
            context.portcullis.authorizer = authorizer
            context.portcullis.token = session.token
        }
        return try await next(request, context)
    }
}

extension AuthorizedRequestContext {
    /// The signed-in session.
    /// - Throws: `401` when no ``SessionMiddleware`` resumed a live session for this request (a
    ///   handler wired without the middleware fails closed).
    public func session() throws(HTTPError) -> Session {
        guard let session = portcullis.session else { throw HTTPError(.unauthorized, message: "not signed in") }
        return session
    }

    /// The CSRF-checked form of this post.
    /// - Throws: `403` when no ``CSRFMiddleware`` checked the request (a handler wired without
    ///   the middleware fails closed).
    public func verifiedForm() throws(HTTPError) -> VerifiedForm {
        guard let form = portcullis.form else { throw HTTPError(.forbidden, message: "the form was not checked for a CSRF token") }
        return form
    }
}

extension OIDCSignIn {
    /// The answer to a request that needs a session and has none: `303` to the login route with
    /// `return_to` for `GET`/`HEAD`; a `401` page for other methods, with a `Cookie` challenge
    /// naming the login route (RFC 9110 §15.5.2 requires a challenge with 401; no registered
    /// scheme describes cookie sign-in, so this one follows the expired draft
    /// draft-broyer-http-cookie-auth: `form-action` and `cookie-name`).
    public func signInRequired(_ request: Request) -> Response {
        if request.method == .get || request.method == .head {
            var current = request.uri.path
            if let query = request.uri.query, !query.isEmpty { current += "?" + query }
            let target = LocalPath.isSafe(current) ? paths.login + "?return_to=" + FormBody.encodeComponent(current) : paths.login
            return SignInHTML.redirect(target)
        }
        let challenge = "Cookie realm=\"\(publicOrigin)\", form-action=\"\(paths.login)\", cookie-name=\"\(sessions.configuration.cookieName)\""
        return response(
            SignInPage(
                kind: .signInRequired, status: .unauthorized, title: "Sign-in required",
                message: "This request needs a signed-in session; it may have expired. Sign in and try again.",
                reason: .missingToken, loginPath: paths.login),
            headers: [.wwwAuthenticate: challenge])
    }
}
#endif
