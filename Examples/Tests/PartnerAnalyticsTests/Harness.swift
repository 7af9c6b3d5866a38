import ExamplesTestSupport
import Foundation
import Hummingbird
import Logging
import PartnerAnalyticsKit
import Portcullis
import PortcullisTesting
import PortcullisTokenExchange

/// A partner analytics server running in this process on a free 127.0.0.1 port, with its audit
/// log captured.
struct Harness {
    let server: PartnerAnalyticsServer
    let base: String
    let logs: RecordingLogHandler.Store

    static let grantType = TokenExchangeURI.grantType
    static let accessTokenType = TokenExchangeURI.accessToken
    static let demoAuth = ("Authorization", "Basic " + Data("demo-partner:demo-secret".utf8).base64EncodedString())

    /// Runs `body` against a live server built from `configuration` (its port is replaced).
    static func run(
        _ configuration: PartnerAnalyticsConfiguration = PartnerAnalyticsConfiguration(),
        clock: @escaping @Sendable () -> NumericDate = { .now },
        _ body: (Harness) async throws -> Void
    ) async throws {
        try await LiveServer.onFreePort { port in
            var configuration = configuration
            configuration.port = port
            let logs = RecordingLogHandler.Store()
            let audit = AuditConfiguration(logger: Logger(label: "audit") { _ in RecordingLogHandler(store: logs) })
            let server = try PartnerAnalyticsServer(configuration: configuration, audit: audit, clock: clock)
            let harness = Harness(server: server, base: configuration.publicURL, logs: logs)
            var quiet = Logger(label: "server")
            quiet.logLevel = .critical
            try await LiveServer.with({ started in server.application(logger: quiet, onServerRunning: started) }) {
                try await body(harness)
            }
        }
    }

    /// The built-in partner provider (development mode).
    var partner: PartnerIdentityProvider {
        get throws {
            guard let provider = server.partnerProvider else { throw CurlError(message: "no built-in partner provider") }
            return provider
        }
    }

    /// A partner user's token from the built-in provider.
    func partnerToken(_ subject: String = "alice@partner.example", lifetime: Double = 600, claims: JSONObject = JSONObject()) throws -> String {
        try partner.mint(subject: subject, lifetime: lifetime, extraClaims: claims)
    }

    /// POSTs raw form `fields` (already in order, encoded here) to the token endpoint.
    func tokenRequest(
        _ fields: [(String, String)], headers: [(String, String)] = [demoAuth],
        contentType: String = "application/x-www-form-urlencoded"
    ) async throws -> HTTPResult {
        try await tokenRequest(raw: FormBody.encode(fields), headers: headers, contentType: contentType)
    }

    /// POSTs a raw body to the token endpoint.
    func tokenRequest(
        raw body: String, headers: [(String, String)] = [demoAuth], contentType: String = "application/x-www-form-urlencoded"
    ) async throws -> HTTPResult {
        try await Curl.request("POST", base + "/oauth2/token", headers: [("Content-Type", contentType)] + headers, body: body)
    }

    /// The standard exchange fields for `subjectToken`, plus `extra`.
    static func exchangeFields(_ subjectToken: String, _ extra: [(String, String)] = []) -> [(String, String)] {
        [("grant_type", grantType), ("subject_token", subjectToken), ("subject_token_type", accessTokenType)] + extra
    }

    /// Exchanges a fresh partner token as the demo client and returns the issued access token.
    func exchangedToken(scope: String? = nil) async throws -> String {
        let result = try await tokenRequest(Self.exchangeFields(try partnerToken(), scope.map { [("scope", $0)] } ?? []))
        guard result.status == 200, let token = result.json?["access_token"] as? String else {
            throw CurlError(message: "exchange failed: \(result.status) \(result.body)")
        }
        return token
    }

    func get(_ path: String, token: String?) async throws -> HTTPResult {
        try await Curl.request("GET", base + path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    func query(_ path: String, token: String?, body: String = "{\"query\": \"revenue by month\"}") async throws -> HTTPResult {
        var headers = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await Curl.request("POST", base + path, headers: headers, body: body)
    }

    /// The claims of a compact JWT, decoded without verifying (the tests verify separately).
    static func claims(_ token: String) -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return [:] }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
