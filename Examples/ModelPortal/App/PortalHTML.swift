import Hummingbird
import PortcullisHummingbird

/// The portal's page layout. Every dynamic value goes through `SignInHTML.escape(_:)`; the
/// security headers come from `SignInHTML.response(_:status:formTargets:headers:)`.
enum PortalHTML {
    /// A whole document. `body` must already be escaped HTML.
    static func document(_ title: String, _ body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SignInHTML.escape(title)) · Model portal</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body><h1>\(SignInHTML.escape(title))</h1>
        \(body)
        </body></html>
        """
    }

    /// A page response. `body` must already be escaped HTML; `formTargets` are the origins a form
    /// on the page may be redirected to (the provider's logout endpoint for the sign-out form).
    static func page(
        _ title: String, _ body: String, status: HTTPResponse.Status = .ok, formTargets: [String] = []
    ) -> Response {
        SignInHTML.response(document(title, body), status: status, formTargets: formTargets)
    }
}
