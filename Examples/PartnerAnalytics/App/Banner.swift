import Foundation
import PortcullisTokenExchange

/// What the server prints once it listens: where it is, and the whole flow as `curl` lines that
/// work as pasted.
public struct Banner: Sendable {
    /// The text.
    public let text: String

    /// The banner for `server`.
    public init(server: PartnerAnalyticsServer) {
        let base = server.configuration.publicURL
        var lines = [
            "Portcullis partner analytics listening on \(base)",
            "Token exchange (RFC 8693): POST \(server.exchange.configuration.tokenEndpoint)",
            "Metadata (RFC 8414): \(base)/.well-known/oauth-authorization-server",
        ]
        if let provider = server.partnerProvider {
            let client = PartnerAnalyticsConfiguration.demoClientID + ":" + PartnerAnalyticsConfiguration.demoClientSecret
            let tenant = PartnerAnalyticsConfiguration.demoTenant
            let other = PartnerAnalyticsConfiguration.otherDemoTenant
            let exchange = "curl -s -u \(client) \(base)/oauth2/token"
                + " -d grant_type=\(TokenExchangeURI.grantType)"
                + " -d subject_token_type=\(TokenExchangeURI.accessToken)"
                + " --data-urlencode \"subject_token=$PARTNER\""
            lines += [
                "Built-in partner identity provider: \(provider.issuer) (demo client \(PartnerAnalyticsConfiguration.demoClientID), tenant \(tenant))",
                "",
                "Try it:",
                "  PARTNER=$(curl -s -d sub=alice@partner.example -d format=text \(base)/partner/token)",
                "  \(exchange) --data-urlencode \"scope=dataset:read:\(tenant) dataset:query:\(tenant)\"",
                "  TOKEN=$(\(exchange) --data-urlencode \"scope=dataset:read:\(tenant) dataset:query:\(tenant)\" | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
                "  curl -s \(base)/v1/datasets -H \"Authorization: Bearer $TOKEN\"",
                "  curl -s \(base)/v1/datasets/\(tenant)/sales -H \"Authorization: Bearer $TOKEN\"",
                "  curl -s \(base)/v1/datasets/\(tenant)/sales/query -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '{\"query\": \"revenue by month\"}'",
                "  curl -si \(base)/v1/datasets/\(other)/sales -H \"Authorization: Bearer $TOKEN\"",
                "  \(exchange.replacingOccurrences(of: "curl -s ", with: "curl -si ")) -d scope=dataset:read:\(other)",
            ]
        } else {
            lines.append("Trusting partner issuers: \(server.configuration.partnerIssuers.joined(separator: ", ")); the built-in provider is off.")
        }
        text = lines.joined(separator: "\n")
    }
}
