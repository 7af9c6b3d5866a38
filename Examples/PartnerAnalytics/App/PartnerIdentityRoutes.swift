import Foundation
import Hummingbird
import Portcullis
import PortcullisTokenExchange

/// The built-in partner identity provider's routes (development mode only): discovery, JWK Set,
/// and `POST /partner/token` minting a partner user's token (form fields `sub`, `format=text`).
struct PartnerIdentityRoutes: Sendable {
    let provider: PartnerIdentityProvider

    func register(on router: Router<PartnerAnalyticsServer.Context>) {
        let discovery = provider.discoveryDocument()
        router.get("partner/.well-known/openid-configuration") { _, _ in PartnerAnalyticsServer.json(discovery) }
        router.get("partner/jwks.json") { _, _ in PartnerAnalyticsServer.json(try provider.jwks()) }
        router.post("partner/token") { request, _ in try await token(request) }
    }

    private func token(_ request: Request) async throws -> Response {
        var request = request
        let body = Array(buffer: try await request.collectBody(upTo: 4096))
        let form: FormBody
        do { form = try FormBody(body) } catch {
            return PartnerAnalyticsServer.json(["error": .string("invalid_request"), "error_description": .string(error.message)], status: .badRequest)
        }
        let subject = form.values("sub").first ?? "alice@partner.example"
        let token = try provider.mint(subject: subject)
        if form.values("format").first == "text" {
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: token + "\n")))
        }
        return PartnerAnalyticsServer.json([
            "access_token": .string(token), "token_type": .string("Bearer"), "expires_in": .number(JSONNumber(600)),
        ])
    }
}
