import Hummingbird

/// Server-rendered HTML: every dynamic value goes through ``escape(_:)``.
enum PortalHTML {
    /// Escapes `& < > " '` for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
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

    /// A whole page. `body` must already be escaped HTML.
    static func page(_ title: String, _ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) · Model portal</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body><h1>\(escape(title))</h1>
            \(body)
            </body></html>
            """
        var fields: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; form-action 'self' ; frame-ancestors 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A `303 See Other` to `location`, with extra header fields (`Set-Cookie`).
    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.location: location, .cacheControl: "no-store"]
        fields.append(contentsOf: headers)
        return Response(status: .seeOther, headers: fields)
    }

    /// A POST form with the session's CSRF token and one submit button.
    static func form(action: String, csrf: String, button: String, fields: String = "") -> String {
        """
        <form method="post" action="\(escape(action))"><input type="hidden" name="csrf" value="\(escape(csrf))">\(fields)<button type="submit">\(escape(button))</button></form>
        """
    }
}
