public import PortcullisJOSE
public import PortcullisJWT

/// Everything a policy is evaluated against: a verified token, the request, and the time.
///
/// Built once per request; the token's scopes are split once here so that every scope check of a
/// policy tree reads the same list.
public struct PolicyContext: Sendable {
    /// The verified token.
    public let token: VerifiedToken
    /// The request's attributes.
    public let request: RequestAttributes
    /// The evaluation time (for `auth_time` recency and similar rules).
    public let now: NumericDate
    /// The token's granted scopes (`scope`, else `scp`; RFC 9068 §2.2.3), in token order.
    public let scopes: [String]

    /// Creates a context.
    /// - Parameters:
    ///   - token: The verified token.
    ///   - request: The request's attributes.
    ///   - now: The evaluation time; defaults to the system clock.
    public init(token: VerifiedToken, request: RequestAttributes = RequestAttributes(), now: NumericDate = .now) {
        self.token = token
        self.request = request
        self.now = now
        self.scopes = token.scopes
    }

    /// `true` when the token was granted `scope` (exact, case-sensitive comparison: RFC 6749 §3.3).
    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }

    /// The claim at `path`, or `nil` when any step is missing.
    public func claim(_ path: ClaimPath) -> JSONValue? { path.value(in: token.claims.json) }
}
