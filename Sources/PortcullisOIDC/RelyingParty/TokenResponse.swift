public import PortcullisJOSE

/// A successful token response of the authorization code grant (RFC 6749 §5.1, OpenID Connect
/// Core 1.0 §3.1.3.3).
public struct TokenResponse: Sendable {
    /// `id_token` (required: the request had the `openid` scope).
    public let idToken: String
    /// `access_token`.
    public let accessToken: String
    /// `refresh_token`, when issued.
    public let refreshToken: String?
    /// `expires_in`, seconds, when given.
    public let expiresIn: Double?
    /// `scope`, when given.
    public let scope: String?

    /// Reads a token endpoint answer.
    /// - Throws: `invalid_request` with the provider's `error` for an error response (RFC 6749
    ///   §5.2: `invalid_grant` for a used, expired or foreign code); `fetch_failed` for an answer
    ///   that is neither; `malformed` for a success without the required members.
    public init(status: Int, body: [UInt8]) throws(PortcullisError) {
        let json: JSONObject
        do {
            json = try JSONReader.parseObject(body, limits: .default)
        } catch {
            throw PortcullisError(.fetchFailed, "the token endpoint answered \(status) without a JSON object")
        }
        if status != 200 {
            guard (400..<500).contains(status), let error = json["error"]?.stringValue else {
                throw PortcullisError(.fetchFailed, "the token endpoint answered \(status)")
            }
            let description = json["error_description"]?.stringValue.map { ": " + ProviderError.printable($0) } ?? ""
            throw PortcullisError(
                .invalidRequest, "the token endpoint refused the code: \(ProviderError.printable(error))\(description)",
                actual: ProviderError.printable(error))
        }
        guard let tokenType = json["token_type"]?.stringValue, tokenType.lowercased() == "bearer" else {
            throw PortcullisError(.malformed, "the token response's \"token_type\" is not Bearer (RFC 6749 §5.1, Core §3.1.3.3)", claim: "token_type")
        }
        guard let accessToken = json["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw PortcullisError(.malformed, "the token response has no \"access_token\" (RFC 6749 §5.1)", claim: "access_token")
        }
        guard let idToken = json["id_token"]?.stringValue, !idToken.isEmpty else {
            throw PortcullisError(.malformed, "the token response has no \"id_token\" (OpenID Connect Core §3.1.3.3)", claim: "id_token")
        }
        self.idToken = idToken
        self.accessToken = accessToken
        refreshToken = json["refresh_token"]?.stringValue
        expiresIn = json["expires_in"]?.numberValue?.doubleValue
        scope = json["scope"]?.stringValue
    }
}

/// Provider-supplied text shown to people: printable ASCII only, at most 200 characters.
enum ProviderError {
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(200).filter { (0x20...0x7E).contains($0.value) }))
    }
}
