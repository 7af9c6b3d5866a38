public import Portcullis

/// How the completion server runs (DESIGN.md, "the example completion server").
public struct CompletionServerConfiguration: Sendable {
    /// Who issues the tokens the server accepts.
    public enum Issuer: Sendable {
        /// The built-in development issuer (the default): its own key, discovery, JWK Set and `POST /dev/token`.
        case development(algorithm: JWSAlgorithm)
        /// An external issuer: tokens must carry this `iss` and `aud`, and verify with these keys.
        case external(issuer: String, audience: String, keys: KeySource)
    }

    /// Where an external issuer's keys come from.
    public enum KeySource: Sendable {
        /// A JWK Set file, read at start.
        case file(String)
        /// A JWK Set URL (https, or http on loopback): cached per `Cache-Control`, refetched when
        /// an unknown `kid` appears (at most every 30 s), kept through outages (`RemoteJWKSet`).
        case url(String)
        /// The issuer's OpenID Connect discovery document names the JWK Set URL.
        case discovery
    }

    /// The address to listen on (default `127.0.0.1`).
    public var host: String
    /// The port (default 8080).
    public var port: Int
    /// The token issuer.
    public var issuer: Issuer
    /// The audience of development tokens (default `api://completions`).
    public var developmentAudience: String
    /// Whether per-tier rate limits apply (turn off only for load tests).
    public var rateLimits: Bool
    /// The largest accepted request body, in bytes (default 64 KiB); larger bodies get 413.
    public var maximumBodySize: Int
    /// A policy file (YAML or JSON, see `Docs/Policies.md`) with the tiers and the policies of
    /// `POST /v1/completions` and `GET /v1/models`, instead of the built-in Swift policies.
    public var policyFile: String?
    /// Also serve `GET /bench/models`: the free tier's model list with no authorization at all, as
    /// the baseline of load tests. Off by default.
    public var benchmarkBaseline = false

    /// Creates a configuration; the defaults run the development issuer on 127.0.0.1:8080.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, issuer: Issuer = .development(algorithm: .es256),
        developmentAudience: String = "api://completions", rateLimits: Bool = true, maximumBodySize: Int = 65_536
    ) {
        self.host = host
        self.port = port
        self.issuer = issuer
        self.developmentAudience = developmentAudience
        self.rateLimits = rateLimits
        self.maximumBodySize = maximumBodySize
    }

    /// The server's base URL: the development issuer's `iss`.
    public var publicURL: String {
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
    }
}
