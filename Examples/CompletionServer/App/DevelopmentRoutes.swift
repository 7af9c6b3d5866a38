import Foundation
import Hummingbird
import Portcullis

/// The development issuer's routes: discovery, JWK Set, and `POST /dev/token`.
struct DevelopmentRoutes: Sendable {
    let issuer: DevelopmentIssuer

    func register(on router: Router<CompletionServer.Context>) {
        let discovery = issuer.discoveryDocument()
        router.get(".well-known/openid-configuration") { _, _ in CompletionServer.json(discovery) }
        router.get(".well-known/jwks.json") { _, _ in CompletionServer.json(try issuer.jwks()) }
        router.post("dev/token") { request, _ in try await token(request) }
    }

    /// `POST /dev/token` with form fields `tier=free|premium`, optional `sub`, and `format=text` for
    /// the bare token (handy in shell scripts).
    private func token(_ request: Request) async throws -> Response {
        var request = request
        let body = (try? await request.collectBody(upTo: 4096)).map { String(buffer: $0) } ?? ""
        var form = FormFields(body)
        for (name, value) in FormFields(request.uri.query ?? "").values where form.values[name] == nil {
            form.values[name] = value
        }
        let tier = form.values["tier"] ?? "free"
        let minted: (token: String, scopes: [String])
        do {
            minted = try issuer.mint(tier: tier, subject: form.values["sub"], now: Date().timeIntervalSince1970)
        } catch {
            return CompletionServer.json(
                ["error": .string("invalid_request"), "message": .string(error.message)], status: .badRequest)
        }
        if form.values["format"] == "text" {
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: minted.token + "\n")))
        }
        return CompletionServer.json([
            "access_token": .string(minted.token),
            "token_type": .string("Bearer"),
            "expires_in": .number(JSONNumber(Int64(issuer.lifetime))),
            "scope": .string(minted.scopes.joined(separator: " ")),
            "tier": .string(tier),
        ])
    }
}

/// `application/x-www-form-urlencoded` fields (the last occurrence of a name wins).
struct FormFields {
    var values: [String: String] = [:]

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
