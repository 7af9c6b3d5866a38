import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ModelPortalKit
import Portcullis

/// `ModelPortal`: the model portal's JSON API, with roles from the company's OpenID provider.
@main
struct ModelPortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ModelPortal",
        abstract: "The model portal's JSON API: Viewer, Data Scientist and Admin roles from an OpenID provider.",
        discussion: """
            With --issuer it trusts that OpenID provider (keys from its discovery document; plain http \
            only for 127.0.0.1/localhost). Without it, it runs a development issuer in the same process \
            and prints ready-to-paste curl commands. Flags fall back to the environment: \
            PORTCULLIS_ISSUER, PORTCULLIS_CLIENT_ID, PORTCULLIS_CLIENT_SECRET, PORTCULLIS_ROLES_CLAIM, \
            PORTCULLIS_PUBLIC_URL, PORT. With --issuer the browser pages (/, /login, /callback, /logout, \
            /models) sign people in, and sessions re-read the roles at every refresh; PORTCULLIS_SESSION_KEYS \
            ("id:base64url-32-bytes,…", the first seals, the others still open older cookies) with \
            --session-dir keeps sessions across restarts.
            """)

    @Option(help: "The OpenID provider's issuer URL (PORTCULLIS_ISSUER); omit for the development issuer.")
    var issuer: String?

    @Option(name: .customLong("client-id"), help: "The portal's client id: the audience tokens must carry (PORTCULLIS_CLIENT_ID; default model-portal without --issuer).")
    var clientID: String?

    @Option(name: .customLong("client-secret"), help: "The client secret, for the browser sign-in; the JSON API does not use it (PORTCULLIS_CLIENT_SECRET).")
    var clientSecret: String?

    @Option(name: .customLong("client-key"), help: "A private key (PEM or JWK file) for private_key_jwt at the token endpoint instead of the client secret; its public key must be registered at the provider (PORTCULLIS_CLIENT_KEY).")
    var clientKey: String?

    @Option(name: .customLong("client-key-id"), help: "The kid of --client-key (default: the JWK's kid, else its RFC 7638 thumbprint).")
    var clientKeyID: String?

    @Option(name: .customLong("claims-max-age"), help: "Re-read a signed-in user's roles from the provider (a refresh) at least every N seconds (default: when the access token is about to expire).")
    var claimsMaxAge: Double?

    @Option(name: .customLong("session-dir"), help: "Keep sessions in this directory (created 0700) so they survive restarts; needs PORTCULLIS_SESSION_KEYS for the cookies (PORTCULLIS_SESSION_DIR).")
    var sessionDirectory: String?

    @Option(name: .customLong("roles-claim"), help: "Where the roles are: a claim name or a dot path such as realm_access.roles (PORTCULLIS_ROLES_CLAIM; default roles).")
    var rolesClaim: String?

    @Option(help: "The port to listen on (PORT; default 8080).")
    var port: Int?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .customLong("public-url"), help: "The portal's public URL, also an accepted audience (PORTCULLIS_PUBLIC_URL; default http://HOST:PORT).")
    var publicURL: String?

    @Flag(name: .customLong("allow-untyped-tokens"), help: "Also accept tokens without a typ header (default: only at+jwt and JWT).")
    var allowUntypedTokens = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    mutating func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = ModelPortalConfiguration(host: host)
        let port = port ?? environment["PORT"].map { Int($0) ?? -1 } ?? 8080
        guard (0...65_535).contains(port) else {
            throw ValidationError("PORT must be a port number")
        }
        configuration.port = port
        configuration.clientSecret = clientSecret ?? environment["PORTCULLIS_CLIENT_SECRET"]
        configuration.acceptsUntypedTokens = allowUntypedTokens
        if let path = rolesClaim ?? environment["PORTCULLIS_ROLES_CLAIM"] {
            guard !path.isEmpty, !ClaimPath(path).segments.contains(where: \.isEmpty) else {
                throw ValidationError("--roles-claim must be a claim name or a dot path such as realm_access.roles")
            }
            configuration.rolesClaim = ClaimPath(path)
        }
        if let url = publicURL ?? environment["PORTCULLIS_PUBLIC_URL"] { configuration.publicURL = url }
        if let keys = environment["PORTCULLIS_SESSION_KEYS"] {
            configuration.sessionKeys = try keys.split(separator: ",").map { entry in
                let parts = entry.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let secret = try? Base64URL.decode(parts[1]),
                      let key = try? SessionKey(id: String(parts[0]), secret: secret)
                else { throw ValidationError("PORTCULLIS_SESSION_KEYS must be id:base64url(32 bytes) entries separated by commas") }
                return key
            }
        }
        if let seconds = claimsMaxAge {
            guard seconds >= 1 else { throw ValidationError("--claims-max-age must be at least 1 second") }
            configuration.claimsMaximumAge = seconds
        }
        configuration.sessionDirectory = sessionDirectory ?? environment["PORTCULLIS_SESSION_DIR"]
        if let path = clientKey ?? environment["PORTCULLIS_CLIENT_KEY"] {
            configuration.clientAssertion = try ClientKeyFile.assertionSigner(path: path, keyID: clientKeyID)
        }
        let clientID = clientID ?? environment["PORTCULLIS_CLIENT_ID"]
        if let issuer = issuer ?? environment["PORTCULLIS_ISSUER"] {
            guard let clientID, !clientID.isEmpty else { throw ValidationError("--issuer needs --client-id (or PORTCULLIS_CLIENT_ID)") }
            configuration.issuer = .external(issuer)
            configuration.clientID = clientID
        } else if let clientID {
            configuration.clientID = clientID
        }

        var logger = Logger(label: "portcullis.model-portal")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var auditLogger = Logger(label: "portcullis.audit")
        auditLogger.logLevel = logger.logLevel
        let portal = try ModelPortal(configuration: configuration, audit: AuditConfiguration(logger: auditLogger))
        if portal.provider != nil {
            do {
                let jwks = try await portal.checkProvider() ?? "-"
                logger.info("discovered the OpenID provider", metadata: ["jwks_uri": .string(jwks)])
            } catch {
                // Not fatal: tokens get 503 fetch_failed until discovery succeeds (retried at most every
                // 10 s, OIDCProviderConfiguration.discoveryRetryInterval).
                logger.warning("the OpenID provider cannot be discovered yet: \(error.message)")
            }
        }
        let banner = PortalBanner(portal: portal)
        let app = portal.application(logger: logger) {
            FileHandle.standardOutput.write(Data((banner.text + "\n").utf8))
        }
        try await app.runService()
    }
}
