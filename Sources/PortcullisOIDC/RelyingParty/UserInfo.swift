import Foundation
public import PortcullisJOSE
public import PortcullisJWT

/// Claims about the signed-in user from the provider's userinfo endpoint (OpenID Connect Core
/// 1.0 §5.3), after the `sub` check of §5.3.4.
public struct UserInfo: Sendable {
    /// `sub`, equal to the ID token's.
    public let subject: String
    /// Every member of the response.
    public let claims: JSONObject

    /// The ID token's claims that describe the authentication itself; they always come from the
    /// ID token, never from userinfo (§2, §5.1).
    public static let identityClaims: Set<String> = [
        "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "azp", "acr", "amr", "sid", "at_hash", "c_hash",
    ]

    /// The claims an application authorizes with: the ID token's ``identityClaims`` and every
    /// other claim from this response. A claim the ID token had and userinfo lacks is absent —
    /// so roles the provider no longer releases are gone (fail closed).
    public func authorizationClaims(over idToken: VerifiedToken) -> VerifiedToken {
        var json = JSONObject()
        for member in idToken.claims.json where Self.identityClaims.contains(member.name) { json[member.name] = member.value }
        for member in claims where !Self.identityClaims.contains(member.name) { json[member.name] = member.value }
        return idToken.replacingClaims(json)
    }
}

extension RelyingParty {
    /// Fetches the userinfo of the user an access token was issued for, and checks its `sub`.
    ///
    /// A `GET` with the token in the `Authorization` header (§5.3.1, RFC 6750 §2.1), under the
    /// token request's deadline and size bound and the same https rule, no redirect followed.
    /// - Parameters:
    ///   - accessToken: The access token of the sign-in or of the last refresh.
    ///   - subject: The ID token's `sub`; the response's must be exactly equal (§5.3.4: a token
    ///     substitution otherwise puts another user's claims in this session).
    /// - Throws: `malformed` when the provider has no `userinfo_endpoint`, or answers with other
    ///   than a JSON object (signed or encrypted `application/jwt` responses are not supported);
    ///   `access_denied` when it refuses the access token (400, 401, 403); `missing_claim` /
    ///   `invalid_claim` (claim `sub`) for an absent or different `sub`; `fetch_failed` for other
    ///   statuses and transport failures.
    public func userInfo(accessToken: String, subject: String) async throws(PortcullisError) -> UserInfo {
        let metadata = try await provider.metadata()
        guard let endpoint = metadata.userinfoEndpoint else {
            throw PortcullisError(.malformed, "the provider has no \"userinfo_endpoint\"", claim: "userinfo_endpoint")
        }
        let url = try RemoteURLRule.url(endpoint, allowsLoopbackHTTP: configuration.allowsLoopbackHTTP)
        let answer = try await transport.get(
            url, headers: [("Authorization", "Bearer " + accessToken), ("Accept", "application/json")],
            timeout: configuration.tokenRequestTimeout, maximumSize: configuration.maximumTokenResponseSize)
        switch answer.status {
        case 200: break
        case 400, 401, 403:
            // RFC 6750 §3.1: invalid_request, invalid_token, insufficient_scope — a refusal of
            // this token, not an outage.
            let error = (try? JSONReader.parseObject(answer.body, limits: .default))?["error"]?.stringValue
            throw PortcullisError(
                .accessDenied,
                "the userinfo endpoint refused the access token (\(answer.status)\(error.map { " " + ProviderError.printable($0) } ?? ""))")
        default:
            throw PortcullisError(.fetchFailed, "the userinfo endpoint answered \(answer.status)")
        }
        let type = (answer.contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if type == "application/jwt" {
            throw PortcullisError(
                .malformed, "the userinfo response is a signed or encrypted JWT (application/jwt), which is not supported; register the client for plain JSON userinfo")
        }
        let claims: JSONObject
        do {
            claims = try JSONReader.parseObject(answer.body, limits: .default)
        } catch {
            throw PortcullisError(.malformed, "the userinfo response is not a JSON object (OpenID Connect Core §5.3.2)")
        }
        guard let received = claims["sub"]?.stringValue else {
            throw PortcullisError(.missingClaim, "the userinfo response has no \"sub\" (OpenID Connect Core §5.3.2)", claim: "sub")
        }
        guard received == subject else {
            throw PortcullisError(
                .invalidClaim, "the userinfo response is about another user: its \"sub\" is not the ID token's (OpenID Connect Core §5.3.4)",
                claim: "sub", expected: subject, actual: ProviderError.printable(received))
        }
        return UserInfo(subject: received, claims: claims)
    }
}
