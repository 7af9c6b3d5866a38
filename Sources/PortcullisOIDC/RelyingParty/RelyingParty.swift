import Foundation
public import PortcullisJOSE
import PortcullisCrypto
public import PortcullisJWT

/// An OpenID Connect relying party: the authorization code flow with PKCE, framework-neutral.
///
/// ```swift
/// let rp = RelyingParty(provider: provider, configuration: configuration)
/// let (url, pending) = try await rp.startLogin()          // redirect the browser to `url`
/// let binding = try await logins.insert(pending)          // and set it in a short-lived cookie
/// // … the provider redirects back to the redirect_uri …
/// let signIn = try await rp.finishLogin(callback: queryItems, pending: await logins.take(binding: cookie))
/// ```
///
/// The callback is refused, each with its reason code, when: no pending login matches this
/// browser or it expired (`invalid_request`); `state` is missing or differs, compared in constant
/// time (`invalid_request`, RFC 6749 §10.12) — an `error` without `state` is still reported as
/// the provider's error, since it cannot sign anyone in; a parameter is repeated (`invalid_request`); the
/// `iss` parameter is present and is not the issuer (`invalid_issuer`, RFC 9207 §2.4); the
/// provider sent `error` (`access_denied` for `access_denied` and the interaction errors of Core
/// §3.1.2.6, `invalid_request` otherwise); the token endpoint refuses the code — used, expired or
/// issued to another redirect — (`invalid_request`); or the ID token fails any rule of
/// ``IDTokenValidator`` with the pending `nonce`, the returned access token for `at_hash`, and
/// `max_age` when it was sent.
public struct RelyingParty: Sendable {
    /// The provider (its metadata gives the endpoints).
    public let provider: OIDCProvider
    /// The client registration.
    public let configuration: RelyingPartyConfiguration
    /// Validates the ID tokens.
    public let validator: IDTokenValidator
    let transport: any TokenEndpointTransport
    let clock: @Sendable () -> Double
    /// The `jti`s of the Logout Tokens accepted so far (``validateLogoutToken(_:)``).
    public let logoutReplays = LogoutReplayCache()

    /// A relying party of `provider`.
    /// - Parameters:
    ///   - validator: The ID-token validator; by default `IDTokenValidator(provider:clientID:)`.
    ///   - transport: Sends the token request (URLSession by default).
    ///   - clock: Seconds since 1970, for the pending logins' creation time.
    public init(
        provider: OIDCProvider, configuration: RelyingPartyConfiguration, validator: IDTokenValidator? = nil,
        transport: any TokenEndpointTransport = URLSessionTokenTransport(),
        clock: @escaping @Sendable () -> Double = { NumericDate.now.secondsSince1970 }
    ) {
        self.provider = provider
        self.configuration = configuration
        self.validator = validator ?? IDTokenValidator(provider: provider, clientID: configuration.clientID)
        self.transport = transport
        self.clock = clock
    }

    /// Starts a sign-in: fresh `state`, `nonce` and PKCE verifier, and the authorization request
    /// URL (Core §3.1.2.1, RFC 7636 §4.3 with `S256`).
    /// - Parameter returnTo: Where the application goes after the sign-in (kept in the pending login).
    /// - Throws: `malformed` when the provider has no `authorization_endpoint`; discovery errors.
    public func startLogin(
        options: AuthorizationOptions = AuthorizationOptions(), returnTo: String = "/"
    ) async throws(PortcullisError) -> (url: String, pending: PendingLogin) {
        let metadata = try await provider.metadata()
        guard let endpoint = metadata.authorizationEndpoint, var components = URLComponents(string: endpoint) else {
            throw PortcullisError(.malformed, "the provider has no usable \"authorization_endpoint\"", claim: "authorization_endpoint")
        }
        let pending = PendingLogin(
            state: try RandomToken.make(), nonce: try RandomToken.make(), codeVerifier: try PKCE.makeVerifier(),
            options: options, createdAt: clock(), returnTo: returnTo)
        var scopes = ["openid"] + configuration.scopes.filter { $0 != "openid" }
        scopes = scopes.filter { !$0.isEmpty }
        var parameters: [(String, String)] = [
            ("response_type", "code"), ("client_id", configuration.clientID), ("redirect_uri", configuration.redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", pending.state), ("nonce", pending.nonce),
            ("code_challenge", PKCE.challenge(for: pending.codeVerifier)), ("code_challenge_method", "S256"),
        ]
        if let prompt = options.prompt { parameters.append(("prompt", prompt)) }
        if let maxAge = options.maxAge { parameters.append(("max_age", String(maxAge))) }
        if let acr = options.acrValues, !acr.isEmpty { parameters.append(("acr_values", acr.joined(separator: " "))) }
        let existing = components.percentEncodedQuery.map { $0.isEmpty ? "" : $0 + "&" } ?? ""
        components.percentEncodedQuery = existing + FormEncoding.encode(parameters)
        guard let url = components.string else {
            throw PortcullisError(.malformed, "the authorization request URL cannot be built", claim: "authorization_endpoint")
        }
        return (url, pending)
    }

    /// Finishes a sign-in from the callback's query parameters.
    /// - Parameters:
    ///   - parameters: The redirect's query items, in order, repeated names included.
    ///   - pending: The pending login of this browser (already removed from its store), or `nil`.
    /// - Returns: The validated ID token and the tokens.
    /// - Throws: see the type's documentation.
    public func finishLogin(
        callback parameters: [(name: String, value: String)], pending: PendingLogin?
    ) async throws(PortcullisError) -> SignIn {
        guard let pending else {
            throw PortcullisError(
                .invalidRequest, "no sign-in is pending in this browser: it expired, was already used, or was started elsewhere")
        }
        guard clock() - pending.createdAt <= configuration.pendingLoginLifetime else {
            throw PortcullisError(.invalidRequest, "the sign-in took longer than \(Int(configuration.pendingLoginLifetime)) s; start again")
        }
        let values = try Self.single(parameters)
        // An error response must echo `state` (RFC 6749 §4.1.2.1), but some providers leave it out;
        // a refusal signs nobody in, so it is reported as the provider's error either way.
        if values["state"] == nil, let error = values["error"] {
            throw Self.providerError(error, description: values["error_description"])
        }
        guard let state = values["state"] else {
            throw PortcullisError(.invalidRequest, "the callback has no \"state\" (RFC 6749 §4.1.2)", claim: "state")
        }
        guard ConstantTime.equals(Array(state.utf8), Array(pending.state.utf8)) else {
            throw PortcullisError(
                .invalidRequest, "the callback's \"state\" is not the one this browser sent (RFC 6749 §10.12)", claim: "state")
        }
        if let issuer = values["iss"], issuer != provider.issuer {
            throw PortcullisError(
                .invalidIssuer, "the callback comes from issuer \"\(ProviderError.printable(issuer))\", not \"\(provider.issuer)\" (RFC 9207)",
                claim: "iss", expected: provider.issuer, actual: ProviderError.printable(issuer))
        }
        if let error = values["error"] {
            throw Self.providerError(error, description: values["error_description"])
        }
        guard let code = values["code"], !code.isEmpty else {
            throw PortcullisError(.invalidRequest, "the callback has neither \"code\" nor \"error\" (RFC 6749 §4.1.2)", claim: "code")
        }
        let tokens = try await exchange(code: code, verifier: pending.codeVerifier)
        guard let rawIDToken = tokens.idToken else {
            throw PortcullisError(.malformed, "the token response has no \"id_token\" (OpenID Connect Core §3.1.3.3)", claim: "id_token")
        }
        let expectations = IDTokenExpectations(
            nonce: pending.nonce, accessToken: tokens.accessToken, maxAge: pending.options.maxAge.map(Double.init))
        let idToken = try await validator.validate(rawIDToken, expecting: expectations)
        var userInfo: UserInfo?
        if configuration.fetchesUserInfo {
            userInfo = try await self.userInfo(accessToken: tokens.accessToken, subject: idToken.subject)
        }
        return SignIn(
            idToken: idToken, rawIDToken: rawIDToken, tokens: tokens, userInfo: userInfo, returnTo: pending.returnTo,
            completedAt: clock())
    }

    /// Redeems `code` at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5).
    func exchange(code: String, verifier: String) async throws(PortcullisError) -> TokenResponse {
        try await tokenRequest([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", configuration.redirectURI),
            ("code_verifier", verifier),
        ])
    }

    /// POSTs `form` to the token endpoint, authenticated as the client, and reads the answer.
    func tokenRequest(_ form: [(String, String)], refresh: Bool = false) async throws(PortcullisError) -> TokenResponse {
        let metadata = try await provider.metadata()
        guard let endpoint = metadata.tokenEndpoint else {
            throw PortcullisError(.malformed, "the provider has no \"token_endpoint\"", claim: "token_endpoint")
        }
        let url = try RemoteURLRule.url(endpoint, allowsLoopbackHTTP: configuration.allowsLoopbackHTTP)
        var form = form
        var headers: [(String, String)] = []
        try authenticate(form: &form, headers: &headers, tokenEndpoint: endpoint)
        let answer = try await transport.post(
            url, body: FormEncoding.encode(form), headers: headers, timeout: configuration.tokenRequestTimeout,
            maximumSize: configuration.maximumTokenResponseSize)
        return try TokenResponse(status: answer.status, body: answer.body, refresh: refresh)
    }

    /// Adds the client authentication of ``RelyingPartyConfiguration/clientAuthentication`` to a
    /// token request (OpenID Connect Core 1.0 §9).
    private func authenticate(
        form: inout [(String, String)], headers: inout [(String, String)], tokenEndpoint: String
    ) throws(PortcullisError) {
        switch configuration.clientAuthentication {
        case .clientSecretBasic(let secret):
            // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
            let pair = FormEncoding.encode(configuration.clientID) + ":" + FormEncoding.encode(secret)
            headers.append(("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()))
        case .clientSecretPost(let secret):
            form += [("client_id", configuration.clientID), ("client_secret", secret)]
        case .privateKeyJWT(let signer):
            let assertion = try signer.assertion(
                clientID: configuration.clientID, issuer: provider.issuer, tokenEndpoint: tokenEndpoint, now: clock())
            form += [
                ("client_id", configuration.clientID), ("client_assertion_type", ClientAssertionSigner.assertionType),
                ("client_assertion", assertion),
            ]
        case .none:
            form.append(("client_id", configuration.clientID))
        }
    }

    /// The provider's logout URL (OpenID Connect RP-Initiated Logout 1.0 §2), or `nil` when its
    /// metadata has no `end_session_endpoint`.
    public func endSessionURL(idTokenHint: String?, postLogoutRedirectURI: String?) async -> String? {
        guard let metadata = try? await provider.metadata(), let endpoint = metadata.endSessionEndpoint,
              var components = URLComponents(string: endpoint)
        else { return nil }
        var parameters: [(String, String)] = [("client_id", configuration.clientID)]
        if let idTokenHint { parameters.append(("id_token_hint", idTokenHint)) }
        if let postLogoutRedirectURI { parameters.append(("post_logout_redirect_uri", postLogoutRedirectURI)) }
        let existing = components.percentEncodedQuery.map { $0.isEmpty ? "" : $0 + "&" } ?? ""
        components.percentEncodedQuery = existing + FormEncoding.encode(parameters)
        return components.string
    }

    /// The parameters by name; a repeated name is refused (RFC 6749 §3.1).
    private static func single(_ parameters: [(name: String, value: String)]) throws(PortcullisError) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in parameters {
            guard values.updateValue(value, forKey: name) == nil else {
                throw PortcullisError(.invalidRequest, "the callback repeats the parameter \"\(ProviderError.printable(name))\"")
            }
        }
        return values
    }

    /// An error response of the authorization endpoint (RFC 6749 §4.1.2.1, Core §3.1.2.6).
    private static func providerError(_ error: String, description: String?) -> PortcullisError {
        let code = ProviderError.printable(error)
        let detail = description.map { ": " + ProviderError.printable($0) } ?? ""
        let refusals: Set<String> = [
            "access_denied", "login_required", "consent_required", "interaction_required", "account_selection_required",
        ]
        return PortcullisError(
            refusals.contains(code) ? .accessDenied : .invalidRequest,
            "the provider refused the sign-in: \(code)\(detail)", actual: code)
    }
}

/// A completed sign-in.
public struct SignIn: Sendable {
    /// The validated ID token.
    public let idToken: VerifiedIDToken
    /// The ID token as received (for `id_token_hint` at logout).
    public let rawIDToken: String
    /// The token response.
    public let tokens: TokenResponse
    /// The userinfo response, when ``RelyingPartyConfiguration/fetchesUserInfo`` is on (its `sub`
    /// was checked against the ID token's).
    public let userInfo: UserInfo?
    /// Where the application wanted to go after the sign-in.
    public let returnTo: String
    /// When the token response arrived, in seconds since 1970 (`expires_in` counts from here).
    public let completedAt: Double

    /// Creates a sign-in (``RelyingParty/finishLogin(callback:pending:)`` makes them; tests and
    /// other flows may too).
    public init(
        idToken: VerifiedIDToken, rawIDToken: String, tokens: TokenResponse, userInfo: UserInfo? = nil, returnTo: String,
        completedAt: Double
    ) {
        self.idToken = idToken
        self.rawIDToken = rawIDToken
        self.tokens = tokens
        self.userInfo = userInfo
        self.returnTo = returnTo
        self.completedAt = completedAt
    }

    /// The claims to authorize with: the ID token's, or with userinfo fetched, the ID token's
    /// identity claims and userinfo's others (``UserInfo/authorizationClaims(over:)``).
    public var authorizationToken: VerifiedToken {
        userInfo.map { $0.authorizationClaims(over: idToken.token) } ?? idToken.token
    }
}
