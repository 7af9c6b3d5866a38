import Foundation
import Portcullis

/// What the portal prints once it listens: where it is, and `curl` lines that work as pasted.
public struct PortalBanner: Sendable {
    /// The text.
    public let text: String

    /// The banner for `portal`.
    public init(portal: ModelPortal) {
        let configuration = portal.configuration
        let base = configuration.publicURL
        var lines = [
            "Portcullis model portal listening on \(base)",
            "Roles from the claim \"\(configuration.rolesClaim)\"; audience \(configuration.audiences.joined(separator: " or "))",
        ]
        if let issuer = portal.developmentIssuer {
            let json = "-H 'Content-Type: application/json'"
            lines += [
                "Development issuer: \(issuer.issuer) (ES256, key \(issuer.keyID)); POST /dev/token mints a token for any role",
                "",
                "Try it:",
                "  VIEWER=$(curl -s -d role=Viewer -d format=text \(base)/dev/token)",
                "  SCIENTIST=$(curl -s --data-urlencode 'role=Data Scientist' -d format=text \(base)/dev/token)",
                "  ADMIN=$(curl -s -d role=Admin -d format=text \(base)/dev/token)",
                "  curl -s \(base)/api/models -H \"Authorization: Bearer $VIEWER\"",
                "  curl -si \(base)/api/models -H \"Authorization: Bearer $VIEWER\" \(json) -d '{\"name\": \"churn\"}'",
                "  curl -s \(base)/api/models -H \"Authorization: Bearer $SCIENTIST\" \(json) -d '{\"name\": \"churn\"}'",
                "  curl -s \(base)/api/models/churn/versions -H \"Authorization: Bearer $SCIENTIST\" \(json) -d '{\"note\": \"first upload\"}'",
                "  curl -si -X POST \(base)/api/models/churn/deploy -H \"Authorization: Bearer $SCIENTIST\"",
                "  curl -s -X POST \(base)/api/models/churn/deploy -H \"Authorization: Bearer $ADMIN\"",
                "  curl -si -X DELETE \(base)/api/models/churn -H \"Authorization: Bearer $ADMIN\"",
                "  curl -si \(base)/api/models",
            ]
        } else if case .external(let issuer) = configuration.issuer {
            lines += [
                "Trusting the OpenID provider \(issuer) (keys from its discovery document); the development endpoints are off.",
                "Send its access tokens (typ at+jwt or JWT) as Authorization: Bearer <token> to \(base)/api/models",
                "Sign in with a browser at \(base)/ (redirect_uri \(base)/callback)",
                "Token requests authenticate with \(Self.clientAuthentication(configuration)); sessions \(configuration.sessionDirectory.map { "kept in \($0)" } ?? "in memory"), roles re-read \(configuration.claimsMaximumAge.map { "at least every \(Int($0)) s" } ?? "at each refresh")",
            ]
        }
        text = lines.joined(separator: "\n")
    }

    static func clientAuthentication(_ configuration: ModelPortalConfiguration) -> String {
        if let assertion = configuration.clientAssertion {
            return "private_key_jwt (\(assertion.signer.algorithm.name), kid \(assertion.signer.keyID ?? "-"))"
        }
        return configuration.clientSecret == nil ? "no client secret (public client)" : "client_secret_basic"
    }
}
