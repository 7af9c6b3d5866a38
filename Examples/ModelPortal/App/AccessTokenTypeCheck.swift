public import Portcullis

/// Wraps a verifier and accepts only tokens whose `typ` header says they are meant for a
/// resource server: `at+jwt` (RFC 9068 §2.1) or the generic `JWT` many providers still use for
/// access tokens and ID tokens (RFC 7519 §5.1). Compared case-insensitively, ignoring an
/// `application/` prefix (RFC 7515 §4.1.9).
///
/// Anything else (`logout+jwt`, `secevent+jwt`, `dpop+jwt`, …) is `invalid_type`: explicit typing
/// keeps other JWTs of the same issuer from being replayed as bearer tokens (RFC 8725 §3.11).
/// A token without `typ` is refused too unless ``acceptsUntyped`` is set.
///
/// The check runs after the inner verifier, on the signature-protected header.
public struct AccessTokenTypeCheck: TokenVerifying {
    /// The `typ` values accepted, lower-cased, without `application/`.
    public static let acceptedTypes: Set<String> = ["at+jwt", "jwt"]

    /// The verifier that checks signature and claims.
    public let inner: any TokenVerifying
    /// Whether a token without a `typ` header is accepted.
    public let acceptsUntyped: Bool

    /// Wraps `inner`.
    public init(_ inner: any TokenVerifying, acceptsUntyped: Bool = false) {
        self.inner = inner
        self.acceptsUntyped = acceptsUntyped
    }

    /// Verifies `token` with ``inner``, then checks its `typ`.
    /// - Throws: every code of the inner verifier, and `invalid_type`.
    public func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken {
        let verified = try await inner.verifyToken(token)
        guard let type = verified.header.type else {
            if acceptsUntyped { return verified }
            throw PortcullisError(
                .invalidType, "the token has no \"typ\" header; expected \"at+jwt\" or \"JWT\"",
                claim: "typ", expected: "at+jwt, JWT")
        }
        var normalized = type.lowercased()
        if normalized.hasPrefix("application/") { normalized.removeFirst("application/".count) }
        guard Self.acceptedTypes.contains(normalized) else {
            throw PortcullisError(
                .invalidType, "the token's \"typ\" is \"\(type)\"; expected \"at+jwt\" or \"JWT\"",
                claim: "typ", expected: "at+jwt, JWT", actual: type)
        }
        return verified
    }
}
