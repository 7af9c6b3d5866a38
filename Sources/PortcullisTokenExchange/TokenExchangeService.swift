import Foundation
public import HTTPTypes
public import Logging
public import PortcullisJOSE
import PortcullisCrypto
public import PortcullisJWT

/// The RFC 8693 token-exchange endpoint, framework-neutral: give it the request head and body,
/// send back the ``TokenEndpointResponse``.
///
/// Steps, in order (the first failure answers):
/// 1. `Content-Type: application/x-www-form-urlencoded`, body within the size limit, strictly
///    decoded (``FormBody``) — `invalid_request`;
/// 2. client authentication (``ClientAuthenticator``) — `invalid_client`;
/// 3. the §2.1 parameter rules (``TokenExchangeRequest``) — `invalid_request`, `unsupported_grant_type`;
/// 4. the client may exchange — `unauthorized_client`;
/// 5. the subject token verifies against a trusted issuer, names this service (its issuer or token
///    endpoint) in `aud`, has a `sub`, comes from an issuer the client may use and carries no
///    other tenant; the actor token likewise; `may_act` names the requesting party — `invalid_request`;
/// 6. the exchange policy (``ExchangePolicy``) — `invalid_target`, `invalid_scope`;
/// 7. the token is issued: `iss`, `aud`, `sub`, `tenant`, `client_id`, `scope`, `act`, a short
///    lifetime, signed with the current key (``ExchangeSigningKeys``).
///
/// Every exchange, issued or refused, is logged (``ExchangeAuditEvent``).
public struct TokenExchangeService: Sendable {
    /// Where the service lives.
    public let configuration: TokenExchangeConfiguration
    /// Client authentication.
    public let authenticator: ClientAuthenticator
    /// Verifies subject and actor tokens: the trusted partner issuers.
    public let subjectVerifier: any TokenVerifying
    /// Scopes and audiences.
    public let policy: ExchangePolicy
    /// The signing keys.
    public let keys: ExchangeSigningKeys
    /// The audit logger.
    public let logger: Logger

    /// Creates the service.
    /// - Throws: `malformed` when two clients share an id, or when a client's allowance names a
    ///   tenant-bound scope of another tenant (a misconfiguration refused at start; requests are
    ///   checked again regardless).
    public init(
        configuration: TokenExchangeConfiguration, clients: [ExchangeClient], subjectVerifier: any TokenVerifying,
        policy: ExchangePolicy, keys: ExchangeSigningKeys, logger: Logger = Logger(label: "portcullis.token-exchange")
    ) throws(PortcullisError) {
        for client in clients {
            for scope in client.allowedScopes {
                if let tenant = policy.tenantOf(scope), tenant != client.tenant {
                    throw PortcullisError(
                        .malformed, "client \(client.id) is for tenant \(client.tenant) but its allowance names \(scope), a scope of tenant \(tenant)",
                        claim: "scope", expected: client.tenant, actual: tenant)
                }
            }
        }
        var authenticator = try ClientAuthenticator(
            clients: clients, assertionAudiences: [configuration.issuer, configuration.tokenEndpoint])
        authenticator.clock = configuration.clock
        self.configuration = configuration
        self.authenticator = authenticator
        self.subjectVerifier = subjectVerifier
        self.policy = policy
        self.keys = keys
        self.logger = logger
    }

    /// The RFC 8414 metadata document.
    public var metadata: JSONObject { configuration.metadata }

    /// Answers one token request.
    public func handle(_ request: HTTPRequest, body: [UInt8]) async -> TokenEndpointResponse {
        let authorization = request.headerFields[values: .authorization]
        let basicAttempted = authorization.contains { $0.lowercased().hasPrefix("basic") }
        var event = ExchangeAuditEvent()
        do {
            let object = try await exchange(request, body: body, authorization: authorization, event: &event)
            event.issued = true
            event.log(to: logger)
            return .success(object)
        } catch {
            event.error = TokenEndpointResponse.errorCode(error)
            event.message = error.message
            event.log(to: logger)
            return .error(error, basicAttempted: basicAttempted, realm: configuration.issuer)
        }
    }

    private func exchange(
        _ request: HTTPRequest, body: [UInt8], authorization: [String], event: inout ExchangeAuditEvent
    ) async throws(PortcullisError) -> JSONObject {
        guard request.method == .post else {
            throw PortcullisError(.invalidRequest, "the token endpoint accepts POST only (RFC 6749 §3.2)")
        }
        let contentType = request.headerFields[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == "application/x-www-form-urlencoded" else {
            throw PortcullisError(.invalidRequest, "the body must be application/x-www-form-urlencoded (RFC 6749 §3.2)")
        }
        guard body.count <= configuration.maximumBodySize else {
            throw PortcullisError(.invalidRequest, "the body is larger than \(configuration.maximumBodySize) bytes")
        }
        let form = try FormBody(body)
        event.client = try? form.single("client_id")
        let (client, method) = try authenticator.authenticate(authorization: authorization, form: form)
        event.client = client.id
        event.authenticationMethod = method
        event.tenant = client.tenant
        let parameters = try TokenExchangeRequest(form: form, acceptedTokenTypes: configuration.acceptedTokenTypes)
        event.requestedScopes = parameters.scopes
        guard client.mayExchange else {
            throw PortcullisError(.unauthorizedClient, "client \(client.id) may not use the token-exchange grant")
        }
        let subject = try await verify(parameters.subjectToken, role: "subject", client: client)
        event.subject = subject.subject
        event.subjectIssuer = subject.issuer
        var party = ActingParty(subject: client.id, issuer: nil)
        if let actorToken = parameters.actorToken {
            let actor = try await verify(actorToken, role: "actor", client: client)
            party = ActingParty(subject: actor.subject ?? "", issuer: actor.issuer)
        }
        event.actor = party.subject
        try party.checkMayAct(subjectToken: subject)
        let act = try party.actClaim(subjectToken: subject)
        let grant: ExchangePolicy.Grant
        do {
            grant = try policy.decide(client: client, requestedScopes: parameters.scopes, targets: parameters.targets)
        } catch {
            event.refusedScopes = error.refused
            throw error.error
        }
        event.grantedScopes = grant.scopes
        let now = configuration.clock().secondsSince1970
        let expires = min(now + configuration.tokenLifetime, subject.expiration.secondsSince1970)
        let jti = Base64URL.encode(try SecureRandom.bytes(16))
        event.tokenID = jti
        let claims: JSONObject = [
            "iss": .string(configuration.issuer),
            "sub": .string(subject.subject ?? ""),
            "aud": .string(grant.audience),
            "iat": .number(JSONNumber(Int64(now))),
            "nbf": .number(JSONNumber(Int64(now))),
            "exp": .number(JSONNumber(Int64(expires))),
            "jti": .string(jti),
            "client_id": .string(client.id),
            "tenant": .string(client.tenant),
            "scope": .string(grant.scopes.joined(separator: " ")),
            "act": act,
        ]
        let token = try keys.sign(claims)
        return [
            "access_token": .string(token),
            "issued_token_type": .string(parameters.issuedTokenType),
            "token_type": .string("Bearer"),
            "expires_in": .number(JSONNumber(max(Int64(expires) - Int64(now), 0))),
            "scope": .string(grant.scopes.joined(separator: " ")),
        ]
    }

    /// Verifies a subject or actor token; every failure is `invalid_request` (RFC 8693 §2.2.2),
    /// except an issuer whose keys cannot be fetched (`fetch_failed`, answered `503`).
    private func verify(_ token: String, role: String, client: ExchangeClient) async throws(PortcullisError) -> VerifiedToken {
        let verified: VerifiedToken
        do {
            verified = try await subjectVerifier.verifyToken(Substring(token))
        } catch where error.code == .fetchFailed || error.code == .cryptoFailure {
            throw error
        } catch {
            throw PortcullisError(
                .invalidRequest, "the \(role) token was refused: \(error.code): \(error.message)",
                claim: error.claim, expected: error.expected, actual: error.actual)
        }
        let ours = [configuration.issuer, configuration.tokenEndpoint]
        guard verified.audience.contains(where: ours.contains) else {
            throw PortcullisError(
                .invalidRequest, "the \(role) token's aud must include \(ours.joined(separator: " or "))", claim: "aud",
                expected: ours.joined(separator: " "), actual: verified.audience.joined(separator: " "))
        }
        guard let sub = verified.subject, !sub.isEmpty else {
            throw PortcullisError(.invalidRequest, "the \(role) token has no sub", claim: "sub")
        }
        if !client.allowedIssuers.isEmpty, !client.allowedIssuers.contains(verified.issuer ?? "") {
            throw PortcullisError(
                .invalidRequest, "client \(client.id) may not exchange tokens of issuer \(verified.issuer ?? "(none)")", claim: "iss",
                expected: client.allowedIssuers.joined(separator: " "), actual: verified.issuer)
        }
        if role == "subject", let tenant = verified["tenant"], tenant.stringValue != client.tenant {
            throw PortcullisError(
                .invalidRequest, "the subject token belongs to another tenant than client \(client.id)'s \(client.tenant)",
                claim: "tenant", expected: client.tenant, actual: tenant.stringValue ?? tenant.typeName)
        }
        return verified
    }
}

extension TokenEndpointResponse {
    /// The OAuth `error` value an error is answered with.
    static func errorCode(_ error: PortcullisError) -> String {
        switch error.code {
        case .invalidClient, .invalidGrant, .unauthorizedClient, .unsupportedGrantType, .invalidScope, .invalidTarget:
            error.code.rawValue
        case .fetchFailed: "temporarily_unavailable"
        case .cryptoFailure: "server_error"
        default: "invalid_request"
        }
    }
}
