import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PartnerAnalyticsKit
import Portcullis

/// `PartnerAnalytics`: the RFC 8693 token-exchange service and the analytics API in one process.
@main
struct PartnerAnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "PartnerAnalytics",
        abstract: "A token-exchange service (RFC 8693) and a tenant-scoped analytics API protected by Portcullis.",
        discussion: """
            With no --partner-issuer it also runs a built-in partner identity provider and a demo \
            client, and prints the whole flow as curl lines.
            """)

    @Option(help: "The port to listen on.")
    var port = 8090

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .customLong("public-url"), help: "The service's issuer and the API's audience (default http://127.0.0.1:PORT).")
    var publicURL: String?

    @Option(name: .customLong("partner-issuer"), help: "A trusted partner identity provider (repeatable; keys from its discovery document).")
    var partnerIssuers: [String] = []

    @Option(name: .customLong("client"), help: "ID:SECRET:TENANT:SCOPES, a partner application (repeatable; scopes space- or comma-separated).")
    var clients: [String] = []

    @Option(name: .customLong("tier"), help: "TENANT:TIER, free (100 queries a day, the default) or premium (10,000) (repeatable).")
    var tiers: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    mutating func run() async throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be a port number") }
        var configuration = PartnerAnalyticsConfiguration(host: host, port: port, publicURL: publicURL, partnerIssuers: partnerIssuers)
        do {
            configuration.clients = try clients.map(PartnerAnalyticsConfiguration.client(parsing:))
            for text in tiers {
                let (tenant, tier) = try PartnerAnalyticsConfiguration.tier(parsing: text)
                configuration.tiers[tenant] = tier
            }
        } catch {
            throw ValidationError("\(error)")
        }
        if !partnerIssuers.isEmpty, configuration.clients.isEmpty {
            throw ValidationError("--partner-issuer needs at least one --client ID:SECRET:TENANT:SCOPES")
        }
        var logger = Logger(label: "portcullis.partner-analytics")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var auditLogger = Logger(label: "portcullis.audit")
        auditLogger.logLevel = logger.logLevel
        let server = try PartnerAnalyticsServer(configuration: configuration, audit: AuditConfiguration(logger: auditLogger))
        let banner = Banner(server: server)
        let app = server.application(logger: logger) {
            FileHandle.standardOutput.write(Data((banner.text + "\n").utf8))
        }
        try await app.runService()
    }
}
