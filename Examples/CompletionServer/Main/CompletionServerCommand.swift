import ArgumentParser
import CompletionServerKit
import Foundation
import Hummingbird
import Logging
import Portcullis

/// `CompletionServer`: the free/premium completion API behind Portcullis.
@main
struct CompletionServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "CompletionServer",
        abstract: "The free/premium completion server protected by Portcullis.",
        discussion: """
            With no issuer configured it runs a development issuer in the same process and prints \
            ready-to-paste curl commands. Every flag can also come from the environment: \
            PORTCULLIS_ISSUER, PORTCULLIS_AUDIENCE, PORTCULLIS_JWKS_URL, PORTCULLIS_JWKS_FILE, PORT.
            """)

    @Option(help: "The port to listen on (environment PORT; default 8080).")
    var port: Int?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Trust this external issuer instead of the development issuer (PORTCULLIS_ISSUER).")
    var issuer: String?

    @Option(help: "The audience tokens must carry, with --issuer (PORTCULLIS_AUDIENCE).")
    var audience: String?

    @Option(name: .customLong("jwks-url"), help: "The issuer's JWK Set URL (PORTCULLIS_JWKS_URL); without it and --jwks-file, the issuer's discovery document names it.")
    var jwksURL: String?

    @Option(name: .customLong("jwks-file"), help: "The issuer's JWK Set file (PORTCULLIS_JWKS_FILE).")
    var jwksFile: String?

    @Option(name: .customLong("dev-algorithm"), help: "The development issuer's algorithm (ES256, EdDSA, RS256, HS256, …).")
    var developmentAlgorithm = "ES256"

    @Flag(name: .customLong("no-rate-limits"), help: "Turn the per-tier rate limits off (for load tests only).")
    var noRateLimits = false

    @Option(name: .customLong("policy-file"), help: "Tiers and route policies from a YAML/JSON file (e.g. Examples/policies/completion.yaml) instead of the built-in ones.")
    var policyFile: String?

    @Flag(name: .customLong("benchmark-baseline"), help: "Also serve GET /bench/models without authorization (the load-test baseline).")
    var benchmarkBaseline = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    mutating func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = CompletionServerConfiguration(host: host)
        guard let port = port ?? environment["PORT"].flatMap(Int.init), (0...65_535).contains(port) else {
            throw ValidationError("PORT must be a port number")
        }
        configuration.port = port
        configuration.rateLimits = !noRateLimits
        configuration.benchmarkBaseline = benchmarkBaseline
        configuration.policyFile = policyFile
        if let issuer = issuer ?? environment["PORTCULLIS_ISSUER"] {
            guard let audience = audience ?? environment["PORTCULLIS_AUDIENCE"] else {
                throw ValidationError("--issuer needs --audience (or PORTCULLIS_AUDIENCE)")
            }
            let url = jwksURL ?? environment["PORTCULLIS_JWKS_URL"]
            let file = jwksFile ?? environment["PORTCULLIS_JWKS_FILE"]
            let source: CompletionServerConfiguration.KeySource
            switch (url, file) {
            case (let url?, nil): source = .url(url)
            case (nil, let file?): source = .file(file)
            case (nil, nil): source = .discovery
            default: throw ValidationError("--issuer takes at most one of --jwks-url and --jwks-file")
            }
            configuration.issuer = .external(issuer: issuer, audience: audience, keys: source)
        } else {
            guard let algorithm = JWSAlgorithm(name: developmentAlgorithm) else {
                throw ValidationError("unknown algorithm \(developmentAlgorithm)")
            }
            configuration.issuer = .development(algorithm: algorithm)
        }

        var logger = Logger(label: "portcullis.completions")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var auditLogger = Logger(label: "portcullis.audit")
        auditLogger.logLevel = logger.logLevel
        let server = try await CompletionServer(configuration: configuration, audit: AuditConfiguration(logger: auditLogger))
        let banner = Banner(server: server)
        let app = server.application(logger: logger) {
            FileHandle.standardOutput.write(Data((banner.text + "\n").utf8))
        }
        try await app.runService()
    }
}
