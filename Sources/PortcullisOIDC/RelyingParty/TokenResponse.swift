public import PortcullisJOSE

/// A successful token response (RFC 6749 §5.1): of the authorization code grant (OpenID Connect
/// Core 1.0 §3.1.3.3, `id_token` required) or of a refresh (§12.2, `id_token` optional).
public struct TokenResponse: Sendable {
    /// `id_token`: always present in the answer to a code (the request had the `openid` scope);
    /// often absent after a refresh.
    public let idToken: String?
    /// `access_token`.
    public let accessToken: String
    /// `refresh_token`, when issued.
    public let refreshToken: String?
    /// `expires_in`, seconds, when given.
    public let expiresIn: Double?
    /// `scope`, when given.
    public let scope: String?

    /// Reads a token endpoint answer.
    /// - Parameter refresh: The answer to a refresh request: `id_token` is optional, and the
    ///   provider's `invalid_grant` (a refresh token expired, revoked or already rotated, RFC 6749
    ///   §5.2) is reported as `invalid_grant`.
    /// - Throws: `invalid_request` with the provider's `error` for an error response to a code
    ///   (RFC 6749 §5.2: `invalid_grant` for a used, expired or foreign code); `fetch_failed` for an
    ///   answer that is neither; `malformed` for a success without the required members.
    public init(status: Int, body: [UInt8], refresh: Bool = false) throws(PortcullisError) {
        let json: JSONObject
        do {
            json = try JSONReader.parseObject(body, limits: .default)
        } catch where status == 401 {
            // RFC 6749 §5.2: 401 is invalid_client; Foundation drops the body of a challenged 401.
            throw PortcullisError(
                .invalidRequest, "the token endpoint refused the client's authentication (401 invalid_client, RFC 6749 §5.2)",
                actual: "invalid_client")
        } catch {
            throw PortcullisError(.fetchFailed, "the token endpoint answered \(status) without a JSON object")
        }
        if status != 200 {
            guard (400..<500).contains(status), let error = json["error"]?.stringValue else {
                throw PortcullisError(.fetchFailed, "the token endpoint answered \(status)")
            }
            let description = json["error_description"]?.stringValue.map { ": " + ProviderError.printable($0) } ?? ""
            let what = refresh ? "the refresh token" : "the code"
            throw PortcullisError(
                refresh && error == "invalid_grant" ? .invalidGrant : .invalidRequest,
                "the token endpoint refused \(what): \(ProviderError.printable(error))\(description)",
                actual: ProviderError.printable(error))
        }
        guard let tokenType = json["token_type"]?.stringValue, tokenType.lowercased() == "bearer" else {
            throw PortcullisError(.malformed, "the token response's \"token_type\" is not Bearer (RFC 6749 §5.1, Core §3.1.3.3)", claim: "token_type")
        }
        guard let accessToken = json["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw PortcullisError(.malformed, "the token response has no \"access_token\" (RFC 6749 §5.1)", claim: "access_token")
        }
        let idToken = json["id_token"]?.stringValue
        guard refresh || !(idToken ?? "").isEmpty else {
            throw PortcullisError(.malformed, "the token response has no \"id_token\" (OpenID Connect Core §3.1.3.3)", claim: "id_token")
        }
        if json["id_token"] != nil, (idToken ?? "").isEmpty {
            throw PortcullisError(.malformed, "the token response's \"id_token\" is not a non-empty string", claim: "id_token")
        }
        self.idToken = idToken
        self.accessToken = accessToken
        refreshToken = json["refresh_token"]?.stringValue
        if let refreshToken, refreshToken.isEmpty {
            throw PortcullisError(.malformed, "the token response's \"refresh_token\" is empty (RFC 6749 §5.1)", claim: "refresh_token")
        }
        expiresIn = json["expires_in"]?.numberValue?.doubleValue
        if let expiresIn, !(expiresIn > 0 && expiresIn <= 31_536_000) {
            throw PortcullisError(.malformed, "the token response's \"expires_in\" is not a positive number of seconds", claim: "expires_in")
        }
        scope = json["scope"]?.stringValue
    }
}

/// Provider-supplied text shown to people: printable ASCII only, at most 200 characters.
enum ProviderError {
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(200).filter { (0x20...0x7E).contains($0.value) }))
    }
}
