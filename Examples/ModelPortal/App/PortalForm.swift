import Foundation
import Hummingbird
import Portcullis

/// A small `application/x-www-form-urlencoded` body (at most 16 KiB).
struct PortalForm {
    let fields: [String: String]

    init(_ request: Request, _ context: ModelPortal.Context) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: 16_384)
        let text = String(buffer: buffer).replacingOccurrences(of: "+", with: " ")
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.flatMap({ String($0).removingPercentEncoding }) else { continue }
            fields[name] = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
        }
        self.fields = fields
    }

    subscript(name: String) -> String? { fields[name] }

    /// The `csrf` field equals the session's token (compared in constant time).
    func hasCSRFToken(_ expected: String) -> Bool {
        guard let token = fields["csrf"] else { return false }
        return ConstantTime.equals(Array(token.utf8), Array(expected.utf8))
    }

    static var csrfRefusal: Response {
        PortalHTML.page(
            "Request refused",
            #"<p>The form's anti-forgery token is missing or wrong. Reload the page and try again.</p><p><a href="/models">Models</a></p>"#,
            status: .forbidden)
    }
}
