import Foundation
import Hummingbird
import Portcullis

/// The development issuer's routes: discovery, JWK Set, and `POST /dev/token`.
struct PortalDevelopmentRoutes: Sendable {
    let issuer: PortalDevelopmentIssuer

    /// The form of `POST /dev/token`.
    struct TokenForm: Decodable {
        /// `Viewer`, `Data Scientist` or `Admin`.
        var role: String?
        /// The token's `sub` (default `dev-<role>`).
        var sub: String?
        /// `text` for the bare token (handy in shell scripts); JSON otherwise.
        var format: String?
    }

    func register(on router: Router<ModelPortal.Context>) {
        let discovery = issuer.discoveryDocument()
        router.get(".well-known/openid-configuration") { _, _ in APIResponse.json(discovery) }
        router.get(".well-known/jwks.json") { _, _ in APIResponse.json(try issuer.jwks()) }
        router.post("dev/token") { request, _ in try await token(request) }
    }

    /// `POST /dev/token` with form fields `role=Viewer|Data Scientist|Admin`, optional `sub` and
    /// `format=text`: an access token whose roles claim holds that one role.
    private func token(_ request: Request) async throws -> Response {
        var request = request
        let body = (try? await request.collectBody(upTo: 4096)).map { String(buffer: $0) } ?? ""
        let roles = RoleMap.modelPortal.names
        guard let form = try? URLEncodedFormDecoder().decode(TokenForm.self, from: body),
              let role = form.role, roles.contains(role)
        else {
            return APIResponse.error(
                "invalid_request", "the form needs role=\(roles.joined(separator: "|")) (and optionally sub=…)",
                status: .badRequest)
        }
        let subject = form.sub.flatMap { $0.isEmpty ? nil : $0 }
            ?? "dev-" + role.lowercased().replacingOccurrences(of: " ", with: "-")
        let token = try issuer.mint(roles: [role], subject: subject)
        if form.format == "text" {
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: token + "\n")))
        }
        return APIResponse.json([
            "access_token": .string(token),
            "token_type": .string("Bearer"),
            "expires_in": .number(JSONNumber(Int64(issuer.lifetime))),
            "role": .string(role),
        ])
    }
}
