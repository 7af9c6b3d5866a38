import ExamplesTestSupport
import Foundation
import Hummingbird
import Logging
import ModelPortalKit
import Portcullis
import PortcullisTesting

/// A model portal running in this process on a free 127.0.0.1 port, with its audit log captured.
struct PortalHarness {
    let portal: ModelPortal
    let base: String
    let logs: RecordingLogHandler.Store

    /// Runs `body` against a live portal built from `configuration` (its port is replaced).
    static func run(
        _ configuration: ModelPortalConfiguration = ModelPortalConfiguration(),
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        _ body: (PortalHarness) async throws -> Void
    ) async throws {
        try await LiveServer.onFreePort { port in
            var configuration = configuration
            configuration.port = port
            let logs = RecordingLogHandler.Store()
            let audit = AuditConfiguration(logger: Logger(label: "audit") { _ in RecordingLogHandler(store: logs) })
            let portal = try ModelPortal(configuration: configuration, audit: audit, clock: clock)
            let harness = PortalHarness(portal: portal, base: "http://127.0.0.1:\(configuration.port)", logs: logs)
            var quiet = Logger(label: "portal")
            quiet.logLevel = .critical
            try await LiveServer.with({ started in portal.application(logger: quiet, onServerRunning: started) }) {
                try await body(harness)
            }
        }
    }

    /// The development issuer (every harness without `--issuer` has one).
    var issuer: PortalDevelopmentIssuer {
        get throws {
            guard let issuer = portal.developmentIssuer else { throw CurlError(message: "no development issuer") }
            return issuer
        }
    }

    /// A development token for `role`, fetched over HTTP from `POST /dev/token`.
    func token(_ role: String, subject: String? = nil) async throws -> String {
        var form = "format=text&role=" + (role.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? role)
        if let subject { form += "&sub=\(subject)" }
        let result = try await Curl.request(
            "POST", base + "/dev/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
        guard result.status == 200 else { throw CurlError(message: "dev token: \(result.status) \(result.body)") }
        return result.body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A token minted directly with any roles (or none: `nil` leaves the claim out).
    func mint(
        roles: [String]?, now: Double = Date().timeIntervalSince1970, audience: String? = nil, type: String? = "at+jwt"
    ) throws -> String {
        try issuer.mint(roles: roles, subject: "tester", now: now, audience: audience, type: type)
    }

    /// Sends `method path` with an optional bearer token and JSON body.
    func send(_ method: String, _ path: String, token: String?, json: String? = nil) async throws -> HTTPResult {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await Curl.request(method, base + path, headers: headers, body: json)
    }
}
