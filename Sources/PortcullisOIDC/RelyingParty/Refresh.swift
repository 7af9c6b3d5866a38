public import PortcullisJOSE
public import PortcullisJWT

/// The outcome of a refresh (RFC 6749 §6, OpenID Connect Core 1.0 §12).
public struct Refreshed: Sendable {
    /// The token response.
    public let tokens: TokenResponse
    /// The new ID token, when the answer had one (it passed every rule of §12.2).
    public let idToken: VerifiedIDToken?
    /// The userinfo read after the refresh: always when the answer had no ID token, and when
    /// ``RelyingPartyConfiguration/fetchesUserInfo`` is on.
    public let userInfo: UserInfo?
    /// The claims to authorize with from now on: the new ID token's, or the signed-in identity
    /// with userinfo's claims (``UserInfo/authorizationClaims(over:)``).
    public let authorizationToken: VerifiedToken
    /// The refresh token to use next: the new one when the provider rotated it (RFC 6749 §6,
    /// RFC 9700 §4.14.2), else the one just used.
    public let refreshToken: String
    /// When the answer arrived, in seconds since 1970 (`expires_in` counts from here).
    public let completedAt: Double
}

extension RelyingParty {
    /// Uses `refreshToken` at the token endpoint and re-reads the user's claims, so that what the
    /// user may do follows the provider: a demoted employee loses the role at the next refresh.
    ///
    /// A new ID token must keep the signed-in identity (§12.2): same `iss` and `sub`, same `aud`
    /// set, same `azp` (absent when it was absent), `auth_time` unchanged when both have one, a
    /// `nonce` only if equal to the original's (Core errata 2), `iat` not earlier than the
    /// original's, and every rule of ``IDTokenValidator`` (signature, `exp`, `at_hash` with the new
    /// access token). Without an ID token the claims come from userinfo, whose `sub` must be the
    /// signed-in one (§5.3.4); claims userinfo does not release are dropped (fail closed).
    /// - Parameters:
    ///   - refreshToken: The refresh token kept with the session.
    ///   - signedIn: The token the session authorizes with (its identity claims are the ID
    ///     token's at sign-in).
    /// - Throws: `invalid_grant` when the provider refuses the refresh token (expired, revoked,
    ///   already rotated); the ID-token and userinfo errors; `malformed` when the answer has no ID
    ///   token and the provider no userinfo endpoint (the claims cannot be re-read); `fetch_failed`
    ///   when the provider cannot be reached.
    public func refresh(_ refreshToken: String, signedIn: VerifiedToken) async throws(PortcullisError) -> Refreshed {
        guard let subject = signedIn.subject else {
            throw PortcullisError(.missingClaim, "the signed-in token has no \"sub\"", claim: "sub")
        }
        let tokens = try await tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refreshToken)], refresh: true)
        var idToken: VerifiedIDToken?
        if let raw = tokens.idToken {
            let validated = try await validator.validate(raw, expecting: IDTokenExpectations(accessToken: tokens.accessToken))
            try Self.checkRefreshed(validated, against: signedIn, subject: subject)
            idToken = validated
        }
        var userInfo: UserInfo?
        if idToken == nil || configuration.fetchesUserInfo {
            if idToken == nil, (try await provider.metadata()).userinfoEndpoint == nil {
                throw PortcullisError(
                    .malformed, "the refresh answer has no ID token and the provider has no userinfo endpoint: the user's claims cannot be re-read",
                    claim: "id_token")
            }
            userInfo = try await self.userInfo(accessToken: tokens.accessToken, subject: subject)
        }
        let base = idToken?.token ?? signedIn
        return Refreshed(
            tokens: tokens, idToken: idToken, userInfo: userInfo,
            authorizationToken: userInfo.map { $0.authorizationClaims(over: base) } ?? base,
            refreshToken: tokens.refreshToken ?? refreshToken, completedAt: clock())
    }

    /// The §12.2 rules that compare a refreshed ID token with the signed-in one.
    static func checkRefreshed(_ new: VerifiedIDToken, against original: VerifiedToken, subject: String) throws(PortcullisError) {
        func refuse(_ claim: String, _ rule: String, expected: String? = nil, actual: String? = nil) -> PortcullisError {
            PortcullisError(
                .invalidClaim, "the refreshed ID token's \"\(claim)\" \(rule) (OpenID Connect Core §12.2)",
                claim: claim, expected: expected, actual: actual)
        }
        guard new.subject == subject else { throw refuse("sub", "names another user", expected: subject, actual: new.subject) }
        guard new.token.issuer == original.issuer else { throw refuse("iss", "differs from the sign-in's") }
        guard Set(new.token.audience) == Set(original.audience) else {
            throw PortcullisError(
                .invalidAudience, "the refreshed ID token's \"aud\" differs from the sign-in's (OpenID Connect Core §12.2)",
                claim: "aud", expected: original.audience.joined(separator: " "), actual: new.token.audience.joined(separator: " "))
        }
        guard new.authorizedParty == original.claims["azp"]?.stringValue else { throw refuse("azp", "differs from the sign-in's") }
        if let authTime = new.authTime, let before = original.claims["auth_time"]?.numberValue?.doubleValue,
           authTime.secondsSince1970 != before {
            throw refuse("auth_time", "is not the time of the original authentication")
        }
        if let nonce = new.nonce, nonce != original.claims["nonce"]?.stringValue {
            throw refuse("nonce", "is not the sign-in's")
        }
        if let before = original.issuedAt, new.issuedAt.secondsSince1970 < before.secondsSince1970 {
            throw refuse("iat", "is earlier than the sign-in's ID token")
        }
    }
}
