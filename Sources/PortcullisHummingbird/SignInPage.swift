#if Hummingbird
public import Hummingbird
public import Portcullis

/// A page the sign-in pieces answer with instead of a stack trace: a refused or unavailable
/// sign-in, a refused form, a required sign-in, or the sign-out confirmation.
///
/// Every text is **plain text**, not HTML: the provider's `error_description`, a refused
/// `state`, the user's subject may all be in ``message``, so a ``SignInPageRenderer`` must
/// HTML-escape whatever it inserts (``SignInHTML/escape(_:)``; OWASP XSS Prevention Cheat Sheet,
/// rule 1).
public struct SignInPage: Sendable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable {
        /// The callback was refused (`4xx`, or `502` when the provider could not be reached).
        case signInRefused
        /// The sign-in cannot start: the provider's metadata cannot be fetched (`502`).
        case signInUnavailable
        /// A route needs a session and the request is not a `GET`/`HEAD` that could be sent to
        /// the login page (`401`).
        case signInRequired
        /// A state-changing form post was refused: CSRF token, `Origin`, size or content type
        /// (`403`, `413`, `415`).
        case formRefused
        /// `GET` on the logout path: a page whose form posts the CSRF token to sign out.
        case signOut
    }

    /// What happened.
    public let kind: Kind
    /// The response status.
    public let status: HTTPResponse.Status
    /// The page title (plain text).
    public let title: String
    /// What went wrong or what to do (plain text; may hold provider-supplied text).
    public let message: String
    /// The reason code of a refusal (`access_denied`, `invalid_request`, `fetch_failed`, …).
    public let reason: PortcullisError.Code?
    /// Where a sign-out form posts (``OIDCSignIn/Paths/logout``), on the sign-out page.
    public let formAction: String?
    /// The session's CSRF token for that form, on the sign-out page.
    public let csrfToken: String?
    /// The login path, for a "sign in again" link.
    public let loginPath: String

    /// Creates a page description (the sign-in pieces make them; renderers read them).
    public init(
        kind: Kind, status: HTTPResponse.Status, title: String, message: String, reason: PortcullisError.Code? = nil,
        formAction: String? = nil, csrfToken: String? = nil, loginPath: String
    ) {
        self.kind = kind
        self.status = status
        self.title = title
        self.message = message
        self.reason = reason
        self.formAction = formAction
        self.csrfToken = csrfToken
        self.loginPath = loginPath
    }
}

/// Turns a ``SignInPage`` into an HTML document. The response's status and security headers
/// (`Cache-Control: no-store`, `Content-Security-Policy`, `X-Content-Type-Options: nosniff`) are
/// set by the sign-in pieces, not by the renderer.
///
/// A renderer must escape every text it inserts (``SignInHTML/escape(_:)``) and must not show
/// more than the page gives it (no stack traces, no tokens).
public protocol SignInPageRenderer: Sendable {
    /// The whole HTML document for `page`.
    func html(for page: SignInPage) -> String
}

/// The default pages: a minimal HTML document with the title, the message, the reason code and,
/// on the sign-out page, the CSRF form; every text escaped.
public struct DefaultSignInPages: SignInPageRenderer {
    /// Creates the renderer.
    public init() {}

    /// See ``SignInPageRenderer/html(for:)``.
    public func html(for page: SignInPage) -> String {
        var body = "<p>\(SignInHTML.escape(page.message))</p>"
        if let reason = page.reason {
            body += "\n<p>Reason code: <code>\(SignInHTML.escape(reason.rawValue))</code></p>"
        }
        if let action = page.formAction, let csrf = page.csrfToken {
            body += "\n" + SignInHTML.csrfForm(action: action, csrfToken: csrf, button: "Sign out")
        }
        if page.kind == .signInRefused || page.kind == .signInRequired {
            body += "\n<p><a href=\"\(SignInHTML.escape(page.loginPath))\">Sign in</a></p>"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(SignInHTML.escape(page.title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body><h1>\(SignInHTML.escape(page.title))</h1>
            \(body)
            </body></html>
            """
    }
}
#endif
