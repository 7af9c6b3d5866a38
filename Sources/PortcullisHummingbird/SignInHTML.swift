#if Hummingbird
public import Hummingbird

/// Server-rendered HTML for sign-in pages and forms: escaping, the CSRF form, and responses with
/// the headers every such page needs.
public enum SignInHTML {
    /// The name of the hidden form field that carries the session's CSRF token.
    public static let csrfFieldName = "csrf"

    /// Escapes `& < > " '` for element content and quoted attribute values (OWASP XSS Prevention
    /// Cheat Sheet, rule 1 and 2).
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    /// A `POST` form to `action` with the hidden ``csrfFieldName`` field and one submit button
    /// (the synchronizer token pattern, OWASP CSRF Prevention Cheat Sheet).
    /// - Parameter fields: More form controls, already escaped HTML.
    public static func csrfForm(action: String, csrfToken: String, button: String, fields: String = "") -> String {
        """
        <form method="post" action="\(escape(action))"><input type="hidden" name="\(csrfFieldName)" value="\(escape(csrfToken))">\(fields)<button type="submit">\(escape(button))</button></form>
        """
    }

    /// An HTML response: `Content-Type: text/html; charset=utf-8`, `Cache-Control: no-store`
    /// (pages show session data), `X-Content-Type-Options: nosniff`, and a
    /// `Content-Security-Policy` that allows no script, style or frame ancestor and lets forms
    /// post only to this origin and to `formTargets`.
    /// - Parameters:
    ///   - formTargets: Origins a form on the page may post or be redirected to (browsers apply
    ///     `form-action` to the redirects after a post: the provider's logout endpoint must be here
    ///     when the page has a sign-out form, see ``OIDCSignIn/formTargets()``).
    ///   - headers: More header fields (`Set-Cookie`).
    public static func response(
        _ html: String, status: HTTPResponse.Status = .ok, formTargets: [String] = [], headers: HTTPFields = [:]
    ) -> Response {
        let targets = (["'self'"] + formTargets.filter(isCSPSource)).joined(separator: " ")
        var fields: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; form-action \(targets); frame-ancestors 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A `303 See Other` to `location` (the browser follows it with a `GET`), `Cache-Control:
    /// no-store`, and extra header fields (`Set-Cookie`).
    public static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.location: location, .cacheControl: "no-store"]
        fields.append(contentsOf: headers)
        return Response(status: .seeOther, headers: fields)
    }

    /// An origin that can stand in a CSP source list as it is: `http(s)://` and no character that
    /// would end the source or the directive.
    private static func isCSPSource(_ origin: String) -> Bool {
        (origin.hasPrefix("https://") || origin.hasPrefix("http://"))
            && origin.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "'") }
    }
}
#endif
