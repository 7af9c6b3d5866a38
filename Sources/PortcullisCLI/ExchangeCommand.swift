import ArgumentParser
import Foundation
import Portcullis
import PortcullisTokenExchange

/// `portcullis exchange`: RFC 8693 token exchange from the command line, as a partner application.
struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Exchange a token at an RFC 8693 token endpoint.",
        discussion: """
            Prints the issued access token (with --json, the whole RFC 8693 §2.2.1 response).
            Exit status: 0 issued, 1 refused by the token endpoint (its error code and description \
            on standard error, or as {"error", "message"} with --json), 2 usage, configuration or \
            network error.
            Example: portcullis exchange --token-endpoint https://analytics.example/oauth2/token \\
                       --client-id acme --client-secret-env ACME_SECRET --scope dataset:read:t123 "$IDP_TOKEN"
            """
    )

    @Option(name: .customLong("token-endpoint"), help: ArgumentHelp("The token endpoint URL.", valueName: "URL"))
    var tokenEndpoint: String

    @Option(name: .customLong("client-id"), help: "The client id.")
    var clientID: String

    @Option(name: .customLong("client-secret-env"), help: ArgumentHelp(
        "Read the client secret from this environment variable (secrets on the command line end up in shell history).", valueName: "NAME"))
    var clientSecretEnvironment: String?

    @Option(name: .customLong("client-secret"), help: "The client secret (prefer --client-secret-env).")
    var clientSecret: String?

    @Option(name: .customLong("auth"), help: "client_secret_basic (default) or client_secret_post.")
    var authMethod = "client_secret_basic"

    @Option(name: .customLong("client-key"), help: ArgumentHelp(
        "private_key_jwt: sign a fresh client assertion with this private key (JWK, JWK Set or PEM).", valueName: "FILE"))
    var clientKey: String?

    @Option(name: .customLong("subject-token-type"), help: "Default urn:ietf:params:oauth:token-type:access_token.")
    var subjectTokenType = TokenExchangeURI.accessToken

    @Option(name: .customLong("actor-token"), help: "An actor token (RFC 8693 §2.1).")
    var actorToken: String?

    @Option(name: .customLong("actor-token-type"), help: "Default urn:ietf:params:oauth:token-type:access_token.")
    var actorTokenType = TokenExchangeURI.accessToken

    @Option(name: .long, help: "A requested scope (repeatable).") var scope: [String] = []
    @Option(name: .long, help: "A resource URI (repeatable).") var resource: [String] = []
    @Option(name: .long, help: "An audience (repeatable).") var audience: [String] = []
    @Option(name: .customLong("requested-token-type"), help: "The requested token type.") var requestedTokenType: String?

    @Flag(name: .long, help: "Print the whole response (or the error) as one JSON object.")
    var json = false

    @Argument(help: ArgumentHelp("The subject token, or - to read it from standard input.", valueName: "SUBJECT_TOKEN"))
    var subjectToken: String

    func run() async throws {
        let client: TokenExchangeClient
        let token: String
        do {
            client = try makeClient()
            token = subjectToken == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                : subjectToken
        } catch {
            Console.warn("portcullis exchange: \(error)")
            throw CLIExit.usage
        }
        do {
            let issued = try await client.exchange(
                subjectToken: token, subjectTokenType: subjectTokenType, actorToken: actorToken, actorTokenType: actorTokenType,
                scopes: scope, resources: resource, audiences: audience, requestedTokenType: requestedTokenType)
            if json {
                var object: JSONObject = [
                    "access_token": .string(issued.accessToken), "issued_token_type": .string(issued.issuedTokenType),
                    "token_type": .string(issued.tokenType), "scope": .string(issued.scope.joined(separator: " ")),
                ]
                if let expiresIn = issued.expiresIn { object["expires_in"] = .number(JSONNumber(expiresIn)) }
                Console.out(String(decoding: JSONValue.object(object).serializedBytes(), as: UTF8.self))
            } else {
                Console.out(issued.accessToken)
            }
        } catch {
            if json {
                let object: JSONObject = ["error": .string(error.code.rawValue), "message": .string(error.message)]
                Console.out(String(decoding: JSONValue.object(object).serializedBytes(), as: UTF8.self))
            } else {
                Console.warn("portcullis exchange: \(error.code.rawValue): \(error.message)")
            }
            throw error.code == .fetchFailed ? CLIExit.usage : CLIExit.rejected
        }
    }

    private func makeClient() throws -> TokenExchangeClient {
        guard let url = URL(string: tokenEndpoint), let scheme = url.scheme?.lowercased(),
            scheme == "https" || (scheme == "http" && RemoteURLRule.isLoopback(url.host ?? ""))
        else {
            throw ConfigurationError("--token-endpoint must be an https URL (http only on loopback hosts): \(tokenEndpoint)")
        }
        let environment = ProcessInfo.processInfo.environment
        let secret = clientSecret ?? clientSecretEnvironment.flatMap { environment[$0] }
        if let clientSecretEnvironment, environment[clientSecretEnvironment] == nil {
            throw ConfigurationError("the environment variable \(clientSecretEnvironment) is not set")
        }
        switch (secret, clientKey) {
        case (let secret?, nil):
            switch authMethod {
            case "client_secret_basic": return TokenExchangeClient(tokenEndpoint: url, clientID: clientID, authentication: .basic(secret: secret))
            case "client_secret_post": return TokenExchangeClient(tokenEndpoint: url, clientID: clientID, authentication: .post(secret: secret))
            default: throw ConfigurationError("--auth must be client_secret_basic or client_secret_post")
            }
        case (nil, let path?):
            let loaded = try KeyFiles.privateKey(inFile: path)
            let name = loaded.algorithm ?? KeygenCommand.defaultAlgorithm(for: loaded.key).name
            guard let algorithm = JWSAlgorithm(name: name), algorithm.family != .hmac else {
                throw ConfigurationError("the client key needs an asymmetric algorithm, not \(name)")
            }
            let signer = try JWTSigner(key: loaded.key, algorithm: algorithm, keyID: loaded.keyID)
            let clientID = clientID
            let audience = tokenEndpoint
            return TokenExchangeClient(tokenEndpoint: url, clientID: clientID, authentication: .assertion {
                let now = Int64(Date().timeIntervalSince1970)
                return try signer.sign([
                    "iss": .string(clientID), "sub": .string(clientID), "aud": .string(audience),
                    "jti": .string(Base64URL.encode(try SecureRandom.bytes(16))),
                    "iat": .number(JSONNumber(now)), "exp": .number(JSONNumber(now + 60)),
                ])
            })
        default:
            throw ConfigurationError("give exactly one of --client-secret-env/--client-secret and --client-key")
        }
    }
}
