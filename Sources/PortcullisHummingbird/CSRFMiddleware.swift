#if Hummingbird
public import Hummingbird
import Portcullis
import PortcullisTokenExchange

/// CSRF protection for state-changing form posts, after a ``SessionMiddleware``.
///
/// Safe methods (`GET`, `HEAD`, `OPTIONS`, `TRACE`; RFC 9110 §9.2.1) pass. Every other request
/// must be an `application/x-www-form-urlencoded` form of the signed-in session, checked in this
/// order:
/// 1. an `Origin` header, when present, is this site's ``OIDCSignIn/publicOrigin`` (`403`
///    otherwise, `Origin: null` included: defence in depth besides the cookie's `SameSite=Lax`,
///    OWASP CSRF Prevention Cheat Sheet "Verifying Origin");
/// 2. there is a live session (`403`: no session, no token to compare);
/// 3. the content type is `application/x-www-form-urlencoded` (`415`; HTML forms send it, and a
///    JSON or multipart body cannot carry the token this middleware reads);
/// 4. the body is at most ``OIDCSignIn/maximumFormSize`` bytes (`413`) and decodes strictly as a
///    ``FormBody`` (`400`: bad percent-encoding, not UTF-8, more than ``FormBody/maximumFields`` fields);
/// 5. exactly one field ``SignInHTML/csrfFieldName`` equals the session's CSRF token, compared
///    in constant time (`403`; the synchronizer token pattern, OWASP CSRF Prevention Cheat Sheet).
///
/// The parsed form goes to the handler in ``PortcullisState/form`` (``AuthorizedRequestContext/verifiedForm()``),
/// and the collected body stays in the request, so nothing is read twice. Refusals are pages of
/// ``OIDCSignIn/pages`` (kind ``SignInPage/Kind/formRefused``) and nothing after them runs.
///
/// Render forms with ``SignInHTML/csrfForm(action:csrfToken:button:fields:)``.
public struct CSRFMiddleware<Context: AuthorizedRequestContext>: RouterMiddleware {
    /// The sign-in (origin, form size bound, pages).
    public let signIn: OIDCSignIn

    /// Creates the middleware.
    public init(_ signIn: OIDCSignIn) {
        self.signIn = signIn
    }

    /// Checks a state-changing request, then calls the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options, .trace].contains(request.method) else { return try await next(request, context) }
        var request = request
        switch await signIn.verifyForm(&request, session: context.portcullis.session) {
        case .failure(let refusal):
            return refusal.response
        case .success(let form):
            var context = context
            context.portcullis.form = form
            return try await next(request, context)
        }
    }
}

extension OIDCSignIn {
    /// The checks of ``CSRFMiddleware`` (also applied to `POST logout`): the form, or the refusal
    /// page. On success the body has been collected into `request`.
    func verifyForm(_ request: inout Request, session: Session?) async -> Result<VerifiedForm, FormRefusal> {
        let origins = request.headers[values: .origin]
        guard origins.count <= 1, origins.allSatisfy({ $0.lowercased() == publicOrigin }) else {
            return .failure(formRefused(.forbidden, .accessDenied, "The form was posted from another site; it was not accepted."))
        }
        guard let session else {
            return .failure(formRefused(.forbidden, .accessDenied, "The form needs a signed-in session; it may have expired. Sign in and try again."))
        }
        guard request.isURLEncodedForm else {
            return .failure(formRefused(.unsupportedMediaType, .invalidRequest, "Only application/x-www-form-urlencoded forms are accepted here."))
        }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumFormSize)
        } catch {
            return .failure(formRefused(.contentTooLarge, .requestTooLarge, "The form is larger than \(maximumFormSize) bytes."))
        }
        let form: VerifiedForm
        do {
            form = VerifiedForm(body: try FormBody(body.readableBytesView))
        } catch {
            return .failure(formRefused(.badRequest, error.code, "The form cannot be read: \(error.message)."))
        }
        let tokens = form.values(named: SignInHTML.csrfFieldName)
        guard tokens.count == 1, ConstantTime.equals(Array(tokens[0].utf8), Array(session.csrfToken.utf8)) else {
            return .failure(formRefused(
                .forbidden, .accessDenied, "The form's anti-forgery token is missing or wrong. Reload the page and try again."))
        }
        return .success(form)
    }

    private func formRefused(_ status: HTTPResponse.Status, _ reason: PortcullisError.Code, _ message: String) -> FormRefusal {
        FormRefusal(response: response(SignInPage(
            kind: .formRefused, status: status, title: "Request refused", message: message, reason: reason, loginPath: paths.login)))
    }
}

/// A refused form: the page to answer with.
struct FormRefusal: Error {
    let response: Response
}
#endif
