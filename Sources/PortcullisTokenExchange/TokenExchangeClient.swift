public import Foundation
#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif
public import PortcullisJOSE
public import PortcullisOIDC
import PortcullisJWT

/// The partner side of RFC 8693: exchanges a token at a token endpoint with one form POST.
///
/// ```swift
/// let client = TokenExchangeClient(
///     tokenEndpoint: URL(string: "https://analytics.example/oauth2/token")!,
///     clientID: "acme-reports", authentication: .basic(secret: secret))
/// let issued = try await client.exchange(subjectToken: idpToken, scopes: ["dataset:read:t123"])
/// // issued.accessToken, issued.scope, issued.expiresIn
/// ```
public struct TokenExchangeClient: Sendable {
    /// How the client authenticates.
    public enum Authentication: Sendable {
        /// `client_secret_basic` (RFC 6749 §2.3.1).
        case basic(secret: String)
        /// `client_secret_post` (RFC 6749 §2.3.1).
        case post(secret: String)
        /// `private_key_jwt`: a fresh assertion per request (RFC 7523 §2.2), made by the closure.
        case assertion(@Sendable () throws -> String)

        /// `private_key_jwt` with a fresh assertion from `signer` per request (RFC 7523 §3: `iss` =
        /// `sub` = `clientID`, a random `jti`, `exp` a minute ahead), whose `aud` is the server's
        /// issuer identifier or its token endpoint, as the signer says.
        public static func privateKeyJWT(
            _ signer: ClientAssertionSigner, clientID: String, issuer: String, tokenEndpoint: URL
        ) -> Authentication {
            .assertion {
                try signer.assertion(
                    clientID: clientID, issuer: issuer, tokenEndpoint: tokenEndpoint.absoluteString,
                    now: NumericDate.now.secondsSince1970)
            }
        }
    }

    /// A §2.2.1 response.
    public struct IssuedToken: Sendable, Hashable {
        /// `access_token`.
        public let accessToken: String
        /// `issued_token_type`.
        public let issuedTokenType: String
        /// `token_type` (`Bearer`).
        public let tokenType: String
        /// `expires_in`, when sent.
        public let expiresIn: Int?
        /// `scope`, split on spaces.
        public let scope: [String]
    }

    /// The token endpoint.
    public let tokenEndpoint: URL
    /// The client id.
    public let clientID: String
    /// The authentication method.
    public let authentication: Authentication
    /// The URL session.
    public let session: URLSession

    /// A session that refuses HTTP authentication challenges instead of waiting for credentials.
    ///
    /// A token endpoint answers a failed `client_secret_basic` with `401` and
    /// `WWW-Authenticate: Basic` (RFC 6749 §5.2). Foundation on Linux (swift-corelibs-foundation
    /// before the fix of its issue #5456) then waits forever for credentials when the session has
    /// no delegate; this session's delegate cancels the challenge, which ``exchange(subjectToken:subjectTokenType:actorToken:actorTokenType:scopes:resources:audiences:requestedTokenType:)``
    /// reports as `invalid_client`.
    public static let defaultSession = URLSession(
        configuration: .ephemeral, delegate: ChallengeRefusingDelegate(), delegateQueue: nil)

    /// Creates a client.
    /// - Parameter session: Use a session whose delegate refuses authentication challenges (see
    ///   ``defaultSession``); `URLSession.shared` can hang on Linux when the endpoint answers 401.
    public init(tokenEndpoint: URL, clientID: String, authentication: Authentication, session: URLSession = defaultSession) {
        self.tokenEndpoint = tokenEndpoint
        self.clientID = clientID
        self.authentication = authentication
        self.session = session
    }

    /// Exchanges `subjectToken` (RFC 8693 §2.1).
    /// - Throws: a ``PortcullisError`` whose code is the server's `error` (`invalid_scope`, …)
    ///   and whose message is its `error_description`; `fetch_failed` for network failures and
    ///   unreadable answers.
    public func exchange(
        subjectToken: String, subjectTokenType: String = TokenExchangeURI.accessToken,
        actorToken: String? = nil, actorTokenType: String = TokenExchangeURI.accessToken,
        scopes: [String] = [], resources: [String] = [], audiences: [String] = [], requestedTokenType: String? = nil
    ) async throws(PortcullisError) -> IssuedToken {
        var fields: [(String, String)] = [
            ("grant_type", TokenExchangeURI.grantType),
            ("subject_token", subjectToken),
            ("subject_token_type", subjectTokenType),
        ]
        if let actorToken { fields += [("actor_token", actorToken), ("actor_token_type", actorTokenType)] }
        if !scopes.isEmpty { fields.append(("scope", scopes.joined(separator: " "))) }
        fields += resources.map { ("resource", $0) } + audiences.map { ("audience", $0) }
        if let requestedTokenType { fields.append(("requested_token_type", requestedTokenType)) }
        var request = URLRequest(url: tokenEndpoint, timeoutInterval: 15)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        switch authentication {
        case .basic(let secret):
            let credentials = FormBody.encodeComponent(clientID) + ":" + FormBody.encodeComponent(secret)
            request.setValue("Basic " + Data(credentials.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        case .post(let secret):
            fields += [("client_id", clientID), ("client_secret", secret)]
        case .assertion(let make):
            let assertion: String
            do { assertion = try make() } catch {
                throw PortcullisError(.invalidClient, "the client assertion could not be made: \(error)")
            }
            fields += [("client_id", clientID), ("client_assertion_type", TokenExchangeURI.jwtBearerAssertion), ("client_assertion", assertion)]
        }
        request.httpBody = Data(FormBody.encode(fields).utf8)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError where error.code == .cancelled && !Task.isCancelled {
            // Only the challenge-refusing delegate cancels: the endpoint answered 401 with a challenge.
            throw PortcullisError(
                .invalidClient, "the token endpoint refused the client's credentials (401 with an authentication challenge)")
        } catch {
            throw PortcullisError(.fetchFailed, "the token endpoint \(tokenEndpoint) could not be reached: \(error.localizedDescription)")
        }
        return try Self.parse(Array(data), status: (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    /// Reads a token endpoint answer.
    static func parse(_ bytes: [UInt8], status: Int) throws(PortcullisError) -> IssuedToken {
        let object: JSONObject
        do { object = try JSONReader.parseObject(bytes, limits: .default) } catch {
            throw PortcullisError(.fetchFailed, "the token endpoint answered \(status) with a body that is not a JSON object")
        }
        guard status == 200 else {
            let code = object["error"]?.stringValue.flatMap(PortcullisError.Code.init(rawValue:)) ?? .invalidRequest
            throw PortcullisError(
                code, object["error_description"]?.stringValue ?? "the token endpoint answered \(status)",
                actual: object["error"]?.stringValue)
        }
        guard let accessToken = object["access_token"]?.stringValue, let tokenType = object["token_type"]?.stringValue else {
            throw PortcullisError(.fetchFailed, "the token endpoint's answer lacks access_token or token_type (RFC 8693 §2.2.1)")
        }
        return IssuedToken(
            accessToken: accessToken,
            issuedTokenType: object["issued_token_type"]?.stringValue ?? TokenExchangeURI.accessToken,
            tokenType: tokenType,
            expiresIn: object["expires_in"]?.numberValue?.int64Value.map { Int($0) },
            scope: object["scope"]?.stringValue?.split(separator: " ").map(String.init) ?? [])
    }
}

/// Cancels every HTTP authentication challenge, so that a `401` ends the request instead of
/// leaving it waiting for credentials (stateless, hence safe to share).
final class ChallengeRefusingDelegate: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        completionHandler(.cancelAuthenticationChallenge, nil)
    }
}
