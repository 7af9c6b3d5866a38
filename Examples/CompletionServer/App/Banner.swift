import Portcullis
import Foundation

/// What the server prints once it listens: where it is, and `curl` lines that work as pasted.
public struct Banner: Sendable {
    /// The text.
    public let text: String

    /// The banner for `server`.
    public init(server: CompletionServer) {
        let base = server.configuration.publicURL
        var lines = ["Portcullis completion server listening on \(base)"]
        if let issuer = server.developmentIssuer {
            lines += [
                "Development issuer: \(issuer.issuer) (\(issuer.algorithm.name), key \(issuer.keyID), audience \(issuer.audience))",
                "",
                "Try it:",
                "  FREE=$(curl -s -d tier=free -d format=text \(base)/dev/token)",
                "  PREMIUM=$(curl -s -d tier=premium -d format=text \(base)/dev/token)",
                "  curl -s \(base)/v1/models -H \"Authorization: Bearer $FREE\"",
                "  curl -s \(base)/v1/completions -H \"Authorization: Bearer $FREE\" -H 'Content-Type: application/json' -d '{\"model\": \"small\", \"prompt\": \"Hello\", \"max_tokens\": 32}'",
                "  curl -si \(base)/v1/completions -H \"Authorization: Bearer $FREE\" -H 'Content-Type: application/json' -d '{\"model\": \"large\", \"prompt\": \"Hello\", \"max_tokens\": 32}'",
                "  curl -s \(base)/v1/completions -H \"Authorization: Bearer $PREMIUM\" -H 'Content-Type: application/json' -d '{\"model\": \"large\", \"prompt\": \"Hello\", \"max_tokens\": 1024}'",
                "  curl -si \(base)/v1/models",
            ]
        } else {
            lines.append("Trusting an external issuer; the development endpoints are off.")
        }
        text = lines.joined(separator: "\n")
    }
}
