import Foundation
public import PortcullisJOSE
import PortcullisCrypto
import PortcullisJWT

/// Authenticates clients at the token endpoint with exactly one method (RFC 6749 §2.3: "MUST NOT
/// use more than one authentication method in each request"):
/// - `client_secret_basic`: `Authorization: Basic` with the form-urlencoded id and secret
///   (RFC 6749 §2.3.1), compared in constant time;
/// - `client_secret_post`: `client_id` and `client_secret` in the form;
/// - `private_key_jwt`: `client_assertion_type` = `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
///   and a `client_assertion` JWT (RFC 7523 §3) whose `iss` and `sub` are the client id, whose
///   `aud` names this service's issuer or token endpoint, with `exp` at most ``maximumAssertionLifetime``
///   ahead and a `jti` never seen before (``AssertionReplayCache``).
///
/// Every failure is `invalid_client`, except a request that uses several methods or a malformed
/// `Authorization` header, which is `invalid_request`.
public struct ClientAuthenticator: Sendable {
    /// The registered clients, by id.
    public let clients: [String: ExchangeClient]
    /// Audiences a client assertion may name: the issuer and the token endpoint (RFC 7523 §3 item 3).
    public let assertionAudiences: [String]
    /// Used assertion ids.
    public let replayCache: AssertionReplayCache
    /// The longest an assertion may still be valid (seconds; default 300), which bounds the cache.
    public var maximumAssertionLifetime: Double = 300
    /// The clock.
    public var clock: @Sendable () -> NumericDate = { .now }
    /// The algorithms a client assertion may use: asymmetric only (a shared secret would make
    /// `private_key_jwt` a password), never `none`.
    public static let assertionAlgorithms: [JWSAlgorithm] = [
        .rs256, .rs384, .rs512, .ps256, .ps384, .ps512, .es256, .es384, .es512, .eddsa,
    ]

    /// Creates an authenticator.
    /// - Throws: `malformed` when two clients share an id.
    public init(clients: [ExchangeClient], assertionAudiences: [String], replayCache: AssertionReplayCache = AssertionReplayCache()) throws(PortcullisError) {
        var byID: [String: ExchangeClient] = [:]
        for client in clients {
            guard byID[client.id] == nil else { throw PortcullisError(.malformed, "client \(client.id) is registered twice") }
            byID[client.id] = client
        }
        self.clients = byID
        self.assertionAudiences = assertionAudiences
        self.replayCache = replayCache
    }

    /// Authenticates the request's client.
    /// - Parameters:
    ///   - authorization: Every `Authorization` header value.
    ///   - form: The decoded body.
    /// - Returns: The client and the method it used.
    public func authenticate(
        authorization: [String], form: FormBody
    ) throws(PortcullisError) -> (client: ExchangeClient, method: ClientAuthenticationMethod) {
        guard authorization.count <= 1 else {
            throw PortcullisError(.invalidRequest, "the request has \(authorization.count) Authorization headers")
        }
        let basic = try authorization.first.map { header throws(PortcullisError) in try Self.basicCredentials(header) }
        let postedID = try form.single("client_id")
        let postedSecret = try form.single("client_secret")
        let assertion = try form.single("client_assertion")
        let assertionType = try form.single("client_assertion_type")
        let methods = [basic != nil, postedSecret != nil, assertion != nil || assertionType != nil].filter { $0 }.count
        guard methods <= 1 else {
            throw PortcullisError(.invalidRequest, "the request uses more than one client authentication method (RFC 6749 §2.3)")
        }
        if let basic {
            if let postedID, postedID != basic.id {
                throw PortcullisError(.invalidRequest, "client_id in the form differs from the Basic credentials", claim: "client_id")
            }
            return (try checkSecret(id: basic.id, secret: basic.secret), .clientSecretBasic)
        }
        if let postedSecret {
            guard let postedID else {
                throw PortcullisError(.invalidRequest, "client_secret needs client_id", claim: "client_id")
            }
            return (try checkSecret(id: postedID, secret: postedSecret), .clientSecretPost)
        }
        if assertion != nil || assertionType != nil {
            guard let assertion, assertionType == TokenExchangeURI.jwtBearerAssertion else {
                throw PortcullisError(
                    .invalidRequest, "client_assertion and client_assertion_type=\(TokenExchangeURI.jwtBearerAssertion) go together (RFC 7523 §2.2)",
                    claim: "client_assertion_type")
            }
            return (try checkAssertion(assertion, postedID: postedID), .privateKeyJWT)
        }
        throw PortcullisError(.invalidClient, "the client did not authenticate (use client_secret_basic, client_secret_post or private_key_jwt)")
    }

    /// Decodes `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1, RFC 7617).
    static func basicCredentials(_ header: String) throws(PortcullisError) -> (id: String, secret: String) {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            throw PortcullisError(.invalidClient, "the Authorization header must use the Basic scheme at the token endpoint")
        }
        guard let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let colon = data.firstIndex(of: UInt8(ascii: ":"))
        else {
            throw PortcullisError(.invalidRequest, "the Basic credentials are not base64 of id:secret")
        }
        let id = try FormBody.decode(data[..<colon])
        let secret = try FormBody.decode(data[data.index(after: colon)...])
        return (id, secret)
    }

    private func checkSecret(id: String, secret: String) throws(PortcullisError) -> ExchangeClient {
        let failure = PortcullisError(.invalidClient, "unknown client or wrong secret", claim: "client_id", actual: id)
        guard let client = clients[id], case .secret(let expected) = client.credential else {
            // Compare anyway, so an unknown id takes as long as a wrong secret.
            _ = ConstantTime.equals(Digests.sha256(Array(secret.utf8)), Digests.sha256(Array("unknown".utf8)))
            throw failure
        }
        // Equal-length digests: the comparison time depends on neither secret's length nor content.
        guard ConstantTime.equals(Digests.sha256(Array(secret.utf8)), Digests.sha256(Array(expected.utf8))) else {
            throw failure
        }
        return client
    }

    private func checkAssertion(_ assertion: String, postedID: String?) throws(PortcullisError) -> ExchangeClient {
        let jws: JWSCompact
        do {
            jws = try JWSCompact.parse(Substring(assertion), maxSize: 16_384, jsonLimits: .default)
        } catch {
            throw PortcullisError(.invalidClient, "the client assertion is not a JWS: \(error.message)")
        }
        guard let issuer = try? jws.payloadObject(limits: .default)["iss"]?.stringValue,
            let client = clients[issuer], case .publicKeys(let keys) = client.credential
        else {
            throw PortcullisError(.invalidClient, "the client assertion's iss names no client registered for private_key_jwt", claim: "iss")
        }
        if let postedID, postedID != client.id {
            throw PortcullisError(.invalidClient, "client_id differs from the assertion's iss", claim: "client_id")
        }
        var rules = VerifierConfiguration(
            algorithms: Set(Self.assertionAlgorithms),
            issuers: [client.id], audiences: assertionAudiences, leeway: 30)
        rules.requiredClaims = ["sub", "jti"]
        rules.clock = clock
        let verified: VerifiedToken
        do {
            verified = try JWTVerifier(keys: keys, configuration: rules).verify(assertion)
        } catch {
            throw PortcullisError(.invalidClient, "the client assertion was refused: \(error.code): \(error.message)", claim: error.claim)
        }
        let now = clock().secondsSince1970
        guard verified.subject == client.id else {
            throw PortcullisError(.invalidClient, "the client assertion's sub must be the client id (RFC 7523 §3)", claim: "sub")
        }
        guard verified.expiration.secondsSince1970 <= now + maximumAssertionLifetime else {
            throw PortcullisError(
                .invalidClient, "the client assertion is valid for more than \(Int(maximumAssertionLifetime)) s", claim: "exp")
        }
        guard let jti = verified.jwtID,
            replayCache.insert(clientID: client.id, jti: jti, expiresAt: verified.expiration.secondsSince1970 + 30, now: now)
        else {
            throw PortcullisError(.invalidClient, "the client assertion was already used (jti replay, RFC 7523 §3)", claim: "jti")
        }
        return client
    }
}
