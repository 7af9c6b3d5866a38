public import HTTPTypes
public import PortcullisJOSE

/// Finds the bearer token of a request, as RFC 6750 §2 describes, and nothing looser.
///
/// - The `Authorization` header (§2.1): scheme `Bearer` in any casing, one or more spaces, then a
///   `b64token` (`ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/"`, then `=` padding only).
/// - The `access_token` form field (§2.2) and URI query parameter (§2.3) only when enabled: tokens
///   in URLs end up in logs and `Referer` headers (§5.3), so they are refused by default — and a
///   request that puts one there gets `invalid_request`, not a silent 401, so the mistake is seen.
/// - More than one credential (two `Authorization` fields, or a header and a query token) is
///   `invalid_request` (§2: "Clients MUST NOT use more than one method").
/// - No credentials for this scheme (no header, or another scheme such as `Basic`) is
///   `missing_token`: a bare challenge without an error code (§3.1).
public struct BearerTokenExtractor: Sendable {
    /// Whether the `access_token` query parameter (RFC 6750 §2.3) is accepted. Default `false`.
    public var allowsQueryParameter: Bool
    /// Whether the `access_token` form field (RFC 6750 §2.2) is accepted. Default `false`.
    public var allowsFormBody: Bool

    /// Creates an extractor; both non-header locations are off by default.
    public init(allowsQueryParameter: Bool = false, allowsFormBody: Bool = false) {
        self.allowsQueryParameter = allowsQueryParameter
        self.allowsFormBody = allowsFormBody
    }

    /// The token of `request`.
    /// - Parameter formBody: The request body when it is `application/x-www-form-urlencoded` and
    ///   the adapter has read it; `nil` otherwise.
    /// - Throws: `missing_token`, `invalid_request`, or `malformed` (a token with characters
    ///   outside `b64token`).
    public func token(in request: HTTPRequest, formBody: [UInt8]? = nil) throws(PortcullisError) -> Substring {
        var found: Substring?
        var authorization: String?
        for field in request.headerFields where field.name == .authorization {
            guard authorization == nil else {
                throw PortcullisError(.invalidRequest, "the request has more than one Authorization header")
            }
            authorization = field.value
        }
        if let authorization, let token = try Self.bearerToken(fromAuthorization: authorization) {
            found = token
        }
        if let query = Self.query(of: request), let token = try Self.formValue("access_token", in: query) {
            guard allowsQueryParameter else {
                throw PortcullisError(
                    .invalidRequest, "access tokens in the URL are not accepted; send an Authorization: Bearer header")
            }
            guard found == nil else { throw Self.twoTokens }
            found = token
        }
        if let formBody, let token = try Self.formValue("access_token", in: Substring(decoding: formBody, as: UTF8.self)) {
            guard allowsFormBody else {
                throw PortcullisError(
                    .invalidRequest, "access tokens in the request body are not accepted; send an Authorization: Bearer header")
            }
            guard found == nil else { throw Self.twoTokens }
            found = token
        }
        guard let found else {
            throw PortcullisError(.missingToken, "the request has no bearer token")
        }
        return found
    }

    private static var twoTokens: PortcullisError {
        PortcullisError(.invalidRequest, "the request carries more than one access token")
    }

    /// The token of one `Authorization` value, `nil` for another scheme.
    static func bearerToken(fromAuthorization value: String) throws(PortcullisError) -> Substring? {
        let utf8 = value.utf8
        let scheme = "bearer".utf8
        guard utf8.count >= scheme.count,
            zip(utf8.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        let rest = value.utf8.dropFirst(scheme.count)
        guard let first = rest.first else {
            throw PortcullisError(.invalidRequest, "the Bearer credentials are empty")
        }
        guard first == UInt8(ascii: " ") else { return nil }  // "Bearerx …" is another scheme
        let token = Substring(rest.drop { $0 == UInt8(ascii: " ") })
        guard !token.isEmpty else {
            throw PortcullisError(.invalidRequest, "the Bearer credentials are empty")
        }
        guard isB64Token(token.utf8) else {
            throw PortcullisError(
                .malformed, "the bearer token has characters outside the RFC 6750 b64token syntax")
        }
        return token
    }

    /// RFC 6750 §2.1: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    static func isB64Token(_ bytes: Substring.UTF8View) -> Bool {
        let span = bytes.span
        var index = 0
        while index < span.count, b64TokenCharacters[Int(span[index])] { index += 1 }
        guard index > 0 else { return false }
        while index < span.count, span[index] == UInt8(ascii: "=") { index += 1 }
        return index == span.count
    }

    /// `true` for the bytes of the `b64token` alphabet, without the `=` padding.
    private static let b64TokenCharacters: [Bool] = (0..<256).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }

    static func query(of request: HTTPRequest) -> Substring? {
        guard let path = request.path, let mark = path.firstIndex(of: "?") else { return nil }
        return path[path.index(after: mark)...]
    }

    /// The value of `name` in an `application/x-www-form-urlencoded` string; `invalid_request`
    /// when it appears twice.
    static func formValue(_ name: String, in form: Substring) throws(PortcullisError) -> Substring? {
        var value: Substring?
        for pair in form.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name else { continue }
            guard value == nil else { throw PortcullisError(.invalidRequest, "\(name) appears more than once") }
            // Tokens are b64token: percent-encoding would only hide characters that are not allowed.
            let token = parts.count > 1 ? parts[1] : ""
            guard isB64Token(token.utf8) else {
                throw PortcullisError(.malformed, "the \(name) parameter is not an RFC 6750 b64token")
            }
            value = token
        }
        return value
    }
}
