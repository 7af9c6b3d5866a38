public import PortcullisJOSE

/// Everything a ``JWTVerifier`` checks besides the signature, in one value.
///
/// ```swift
/// var configuration = VerifierConfiguration(
///     algorithms: [.rs256, .es256],
///     issuers: ["https://login.example.com"],
///     audiences: ["api://completions"])
/// configuration.expectedType = "at+jwt"      // RFC 9068 access tokens
/// configuration.requiredScopes = ["completions"]
/// ```
///
/// - Warning: The algorithm allow-list is required and never inferred from the token or the key
///   (RFC 8725 §3.1). Leave ``issuers`` and ``audiences`` empty only if you really accept tokens
///   from any issuer for any audience that your keys can verify.
public struct VerifierConfiguration: Sendable {
    /// The algorithms a token may use. A token with any other `alg` is `algorithm_not_allowed`.
    public var algorithms: Set<JWSAlgorithm>
    /// Accepted `iss` values, compared exactly (RFC 7519 §4.1.1). Empty accepts any issuer.
    public var issuers: [String]
    /// Accepted audiences. A token carrying `aud` must name one of them (RFC 7519 §4.1.3); when this
    /// is non-empty a token without `aud` is refused too.
    public var audiences: [String]
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds (default 60; RFC 7519 §4.1.4
    /// "MAY provide for some small leeway").
    public var leeway: Double
    /// The longest time since `iat` a token may be used, in seconds; `nil` for no limit. When set,
    /// `iat` becomes required.
    public var maximumTokenAge: Double?
    /// Claims that must be present (in addition to `exp`, which always is).
    public var requiredClaims: [String]
    /// The expected `typ` header, for example `at+jwt` (RFC 9068 §2.1, RFC 8725 §3.11). Compared
    /// case-insensitively, ignoring an `application/` prefix on either side. `nil` skips the check.
    public var expectedType: String?
    /// Scopes the token must carry (`scope`, or `scp` when `scope` is absent; RFC 9068 §2.2.3).
    public var requiredScopes: [String]
    /// Tokens longer than this many bytes are `token_too_large`, before any decoding.
    public var maximumTokenSize: Int
    /// Bounds on the header and payload JSON.
    public var jsonLimits: JSONLimits
    /// Extension header names listed in `crit` that the application processes itself
    /// (RFC 7515 §4.1.11). Empty by default: any `crit` is then refused.
    public var understoodCriticalHeaders: Set<String>
    /// The current time. Inject a fixed clock in tests.
    public var clock: @Sendable () -> NumericDate

    /// Creates a configuration.
    /// - Parameters:
    ///   - algorithms: The allow-list; must not be empty.
    ///   - issuers: Accepted issuers (exact match); empty accepts any.
    ///   - audiences: Accepted audiences; empty accepts tokens without `aud` only.
    ///   - leeway: Clock skew in seconds, default 60.
    public init(
        algorithms: Set<JWSAlgorithm>,
        issuers: [String] = [],
        audiences: [String] = [],
        leeway: Double = 60
    ) {
        self.algorithms = algorithms
        self.issuers = issuers
        self.audiences = audiences
        self.leeway = leeway
        self.maximumTokenAge = nil
        self.requiredClaims = []
        self.expectedType = nil
        self.requiredScopes = []
        self.maximumTokenSize = 65_536
        self.jsonLimits = .default
        self.understoodCriticalHeaders = []
        self.clock = { NumericDate.now }
    }
}

extension VerifierConfiguration {
    /// Compares a `typ` value with an expected one: case-insensitive (RFC 7515 §4.1.9 media types),
    /// ignoring an `application/` prefix on either side.
    static func typeMatches(_ actual: String, expected: String) -> Bool {
        normalizedMediaType(actual) == normalizedMediaType(expected)
    }

    private static func normalizedMediaType(_ value: String) -> String {
        let lowered = value.lowercased()
        let prefix = "application/"
        return lowered.hasPrefix(prefix) ? String(lowered.dropFirst(prefix.count)) : lowered
    }
}
