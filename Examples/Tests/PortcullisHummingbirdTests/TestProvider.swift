import Foundation
import Hummingbird
import Portcullis
import PortcullisTesting

/// An OpenID provider inside the test's own server, under `/idp`: discovery, the JWK Set of a
/// `TestIssuer` (ES256), an authorization endpoint, a token endpoint (`client_secret_basic`,
/// PKCE `S256`, single-use codes) and an `end_session_endpoint`.
///
/// The authorization endpoint signs in at once the user the test appends to the authorization
/// URL (`&user=ada`), or refuses with `error=access_denied` (`&deny=1`). The user `broken` gets a
/// code that the token endpoint answers with a 500.
struct TestProvider: Sendable {
    static let clientID = "portal"
    static let clientSecret = "s3cret"
    /// The users' roles.
    static let users: [String: [String]] = ["ada": ["admin"], "vera": ["viewer"], "broken": []]

    /// What an authorization code stands for.
    struct Grant: Sendable {
        let subject: String
        let nonce: String
        let challenge: String
        let redirectURI: String
    }

    /// Issued, unredeemed codes (each redeemed once).
    actor Codes {
        private var grants: [String: Grant] = [:]
        func insert(_ grant: Grant) -> String {
            let code = UUID().uuidString
            grants[code] = grant
            return code
        }
        func take(_ code: String) -> Grant? { grants.removeValue(forKey: code) }
    }

    let issuer: String
    let keys: TestIssuer
    let codes = Codes()

    /// A provider whose issuer is `base` + `/idp`.
    init(base: String) throws {
        issuer = base + "/idp"
        keys = try TestIssuer(issuer: issuer, audience: Self.clientID, clock: TestClock(NumericDate.now.secondsSince1970))
    }

    /// The provider as the relying party sees it (loopback http allowed: development mode).
    func oidcProvider() throws -> OIDCProvider {
        var configuration = OIDCProviderConfiguration()
        configuration.allowsLoopbackHTTP = true
        return try OIDCProvider(issuer: issuer, configuration: configuration)
    }

    func register<Context: RequestContext>(on router: Router<Context>) throws {
        let discovery = Self.json(.object([
            "issuer": .string(issuer), "authorization_endpoint": .string(issuer + "/authorize"),
            "token_endpoint": .string(issuer + "/token"), "jwks_uri": .string(issuer + "/jwks"),
            "end_session_endpoint": .string(issuer + "/logout"),
            "response_types_supported": .array([.string("code")]), "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string("ES256")]),
        ]))
        let jwks = Self.json(.object(try keys.jwks().jsonObject(includingPrivate: false)))
        router.get("idp/.well-known/openid-configuration") { _, _ in discovery }
        router.get("idp/jwks") { _, _ in jwks }
        router.get("idp/authorize") { request, _ in await authorize(request) }
        router.post("idp/token") { request, _ in try await token(request) }
    }

    private func authorize(_ request: Request) async -> Response {
        let query = Self.items(URLComponents(string: request.uri.description)?.percentEncodedQuery ?? "")
        guard query["client_id"] == Self.clientID, let redirect = query["redirect_uri"], let state = query["state"],
              let nonce = query["nonce"], let challenge = query["code_challenge"], query["code_challenge_method"] == "S256"
        else { return Response(status: .badRequest) }
        var answer: [URLQueryItem] = [URLQueryItem(name: "state", value: state), URLQueryItem(name: "iss", value: issuer)]
        if query["deny"] != nil {
            answer += [URLQueryItem(name: "error", value: "access_denied"),
                       URLQueryItem(name: "error_description", value: "<script>alert(1)</script> said no")]
        } else {
            guard let user = query["user"], Self.users[user] != nil else { return Response(status: .badRequest) }
            let code = await codes.insert(Grant(subject: user, nonce: nonce, challenge: challenge, redirectURI: redirect))
            answer.append(URLQueryItem(name: "code", value: code))
        }
        var location = URLComponents(string: redirect)
        location?.queryItems = answer
        return Response(status: .found, headers: [.location: location?.string ?? redirect])
    }

    private func token(_ request: Request) async throws -> Response {
        var request = request
        let form = Self.items(String(buffer: try await request.collectBody(upTo: 65_536)))
        let basic = "Basic " + Data("\(Self.clientID):\(Self.clientSecret)".utf8).base64EncodedString()
        guard request.headers[.authorization] == basic else { return Self.error("invalid_client", status: .unauthorized) }
        guard form["grant_type"] == "authorization_code", let code = form["code"], let grant = await codes.take(code),
              form["redirect_uri"] == grant.redirectURI, let verifier = form["code_verifier"],
              PKCE.challenge(for: verifier) == grant.challenge
        else { return Self.error("invalid_grant", status: .badRequest) }
        if grant.subject == "broken" { return Response(status: .internalServerError) }
        let idToken = try keys.mint(
            subject: grant.subject,
            extraClaims: ["nonce": .string(grant.nonce), "roles": .array((Self.users[grant.subject] ?? []).map(JSONValue.string))],
            type: "JWT")
        return Self.json(.object([
            "access_token": .string(UUID().uuidString), "token_type": .string("Bearer"), "id_token": .string(idToken),
            "expires_in": .number(JSONNumber(300)),
        ]))
    }

    /// A form or query, percent-decoded (the relying party never sends `+`), last value wins.
    private static func items(_ encoded: String) -> [String: String] {
        var items: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first?.removingPercentEncoding else { continue }
            items[name] = parts.count > 1 ? parts[1].removingPercentEncoding ?? "" : ""
        }
        return items
    }

    private static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: value.serializedBytes())))
    }

    private static func error(_ code: String, status: HTTPResponse.Status) -> Response {
        json(.object(["error": .string(code)]), status: status)
    }
}
