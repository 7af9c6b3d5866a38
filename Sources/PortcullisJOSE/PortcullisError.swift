/// The one error type every Portcullis module throws.
///
/// Each error carries a stable ``Code`` (the reason codes of the Portcullis design contract, such as
/// `expired` or `key_not_found`), a human message, and typed context naming what failed: the
/// claim, the expected and the actual value, the key id and the algorithm.
///
/// Equality compares the ``code`` only, so tests can write
/// `#expect(error.code == .expired)` or `#expect(error == PortcullisError(.expired))`.
///
/// ```swift
/// do {
///     let token = try verifier.verify(compact)
/// } catch {
///     print(error.code)      // "invalid_audience"
///     print(error.message)   // "audience mismatch: the token is for [\"api\"]; pass --audience api"
/// }
/// ```
public struct PortcullisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable reason code: its ``Code/rawValue`` never changes meaning.
    public let code: Code
    /// A human explanation. Never contains a token or key material.
    public let message: String
    /// The claim (or header parameter) the error is about, when there is one.
    public let claim: String?
    /// What the verifier expected, when the error is a comparison.
    public let expected: String?
    /// What the token actually carried, when the error is a comparison.
    public let actual: String?
    /// The key id involved, when there is one.
    public let keyID: String?
    /// The JWS/JWE algorithm involved, when there is one.
    public let algorithm: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable reason code.
    ///   - message: A human explanation; defaults to the code's summary.
    ///   - claim: The claim or header parameter concerned.
    ///   - expected: The expected value, rendered for humans.
    ///   - actual: The actual value, rendered for humans.
    ///   - keyID: The key id involved.
    ///   - algorithm: The algorithm involved.
    public init(
        _ code: Code,
        _ message: String? = nil,
        claim: String? = nil,
        expected: String? = nil,
        actual: String? = nil,
        keyID: String? = nil,
        algorithm: String? = nil
    ) {
        self.code = code
        self.message = message ?? code.summary
        self.claim = claim
        self.expected = expected
        self.actual = actual
        self.keyID = keyID
        self.algorithm = algorithm
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code.rawValue): \(message)" }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: PortcullisError, rhs: PortcullisError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension PortcullisError {
    /// A stable reason code. The raw values are a public contract (CLI `--json`, error responses,
    /// audit events): they may be added to but never change meaning.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: String, Sendable, CaseIterable {
            case malformed
            case tokenTooLarge = "token_too_large"
            case unsupportedAlgorithm = "unsupported_algorithm"
            case algorithmNotAllowed = "algorithm_not_allowed"
            case keyNotFound = "key_not_found"
            case invalidKey = "invalid_key"
            case invalidSignature = "invalid_signature"
            case unsupportedCriticalHeader = "unsupported_critical_header"
            case invalidType = "invalid_type"
            case expired
            case notYetValid = "not_yet_valid"
            case invalidIssuer = "invalid_issuer"
            case invalidAudience = "invalid_audience"
            case missingClaim = "missing_claim"
            case invalidClaim = "invalid_claim"
            case insufficientScope = "insufficient_scope"
            case accessDenied = "access_denied"
            case rateLimited = "rate_limited"
            case quotaExceeded = "quota_exceeded"
            case decryptionFailed = "decryption_failed"
            case cryptoFailure = "crypto_failure"
            case missingToken = "missing_token"
            case invalidRequest = "invalid_request"
            case requestTooLarge = "request_too_large"
            case fetchFailed = "fetch_failed"
            case invalidClient = "invalid_client"
            case invalidGrant = "invalid_grant"
            case unauthorizedClient = "unauthorized_client"
            case unsupportedGrantType = "unsupported_grant_type"
            case invalidScope = "invalid_scope"
            case invalidTarget = "invalid_target"
        }

        private let backing: Backing
        private init(_ backing: Backing) { self.backing = backing }

        /// The wire form, for example `"key_not_found"`.
        public var rawValue: String { backing.rawValue }
        /// Same as ``rawValue``.
        public var description: String { backing.rawValue }

        /// Looks a code up by its wire form.
        public init?(rawValue: String) {
            guard let backing = Backing(rawValue: rawValue) else { return nil }
            self.backing = backing
        }

        /// Every code this version knows.
        public static var allCases: [Code] { Backing.allCases.map(Code.init) }

        /// The input is not a well-formed token, key or document (RFC 7515 §5.2, RFC 7519 §7.2).
        public static let malformed = Code(.malformed)
        /// The token is longer than the configured maximum; rejected before any decoding.
        public static let tokenTooLarge = Code(.tokenTooLarge)
        /// The algorithm is not one this library implements (or is `none`).
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// The algorithm is implemented but not in the caller's allow-list.
        public static let algorithmNotAllowed = Code(.algorithmNotAllowed)
        /// No key is usable for this token: unknown `kid`, a `kid` naming an unfitting key, or an
        /// ambiguous choice. There is never a fallback to another key.
        public static let keyNotFound = Code(.keyNotFound)
        /// The key material itself is unacceptable: too short, weak, malformed or off-curve.
        public static let invalidKey = Code(.invalidKey)
        /// The signature does not verify.
        public static let invalidSignature = Code(.invalidSignature)
        /// `crit` is malformed or names an extension this library does not process (RFC 7515 §4.1.11).
        public static let unsupportedCriticalHeader = Code(.unsupportedCriticalHeader)
        /// The `typ` header is not the expected one (RFC 8725 §3.11, RFC 9068 §2.1).
        public static let invalidType = Code(.invalidType)
        /// `now >= exp + leeway` (RFC 7519 §4.1.4).
        public static let expired = Code(.expired)
        /// `now < nbf - leeway` (RFC 7519 §4.1.5).
        public static let notYetValid = Code(.notYetValid)
        /// `iss` is missing or not an accepted issuer (RFC 7519 §4.1.1).
        public static let invalidIssuer = Code(.invalidIssuer)
        /// `aud` does not name an accepted audience (RFC 7519 §4.1.3).
        public static let invalidAudience = Code(.invalidAudience)
        /// A required claim is absent.
        public static let missingClaim = Code(.missingClaim)
        /// A claim is present but has the wrong type or an unacceptable value.
        public static let invalidClaim = Code(.invalidClaim)
        /// A required scope is missing (RFC 6750 §3.1).
        public static let insufficientScope = Code(.insufficientScope)
        /// A policy denied the request.
        public static let accessDenied = Code(.accessDenied)
        /// A rate limit was hit.
        public static let rateLimited = Code(.rateLimited)
        /// A quota was exhausted.
        public static let quotaExceeded = Code(.quotaExceeded)
        /// A JWE could not be decrypted (one code for every unwrap or tag failure).
        public static let decryptionFailed = Code(.decryptionFailed)
        /// The crypto backend failed unexpectedly (out of memory, provider error). Never caused by
        /// token content alone; treat as a server error.
        public static let cryptoFailure = Code(.cryptoFailure)
        /// The request carries no bearer token (RFC 6750 §3.1: answered with a bare challenge).
        public static let missingToken = Code(.missingToken)
        /// The request is malformed: two credentials, an empty token, a token where tokens are not
        /// accepted, an undecodable body (RFC 6750 §3.1 `invalid_request`).
        public static let invalidRequest = Code(.invalidRequest)
        /// The request body is larger than the endpoint accepts (HTTP 413).
        public static let requestTooLarge = Code(.requestTooLarge)
        /// A remote document (OpenID Connect discovery, RFC 8414 metadata, a JWK Set) could not be
        /// fetched or was not acceptable: network error, timeout, HTTP error status, redirect,
        /// oversized or unparsable body, or a URL that is not `https`. A server-side condition,
        /// never caused by token content alone; an API answers it with `503`, not `401`.
        public static let fetchFailed = Code(.fetchFailed)
        /// Client authentication failed at a token endpoint: unknown client, wrong secret, bad or
        /// replayed client assertion, no or several authentication methods (RFC 6749 §5.2).
        public static let invalidClient = Code(.invalidClient)
        /// The grant presented to a token endpoint is invalid or was issued to another client
        /// (RFC 6749 §5.2).
        public static let invalidGrant = Code(.invalidGrant)
        /// The authenticated client may not use this grant, issuer or tenant (RFC 6749 §5.2).
        public static let unauthorizedClient = Code(.unauthorizedClient)
        /// The token endpoint does not support the `grant_type` (RFC 6749 §5.2).
        public static let unsupportedGrantType = Code(.unsupportedGrantType)
        /// A requested scope is unknown or outside the client's allowance (RFC 6749 §5.2).
        public static let invalidScope = Code(.invalidScope)
        /// A requested `resource` or `audience` is unknown or not allowed (RFC 8693 §2.2.2).
        public static let invalidTarget = Code(.invalidTarget)

        /// A one-line explanation used when an error has no specific message.
        public var summary: String {
            switch backing {
            case .malformed: "the input is malformed"
            case .tokenTooLarge: "the token is larger than the configured maximum"
            case .unsupportedAlgorithm: "the algorithm is not supported"
            case .algorithmNotAllowed: "the algorithm is not allowed"
            case .keyNotFound: "no usable key was found for this token"
            case .invalidKey: "the key is invalid or too weak"
            case .invalidSignature: "the signature is invalid"
            case .unsupportedCriticalHeader: "the token has a critical header this library does not process"
            case .invalidType: "the token type (typ) is not the expected one"
            case .expired: "the token has expired"
            case .notYetValid: "the token is not yet valid"
            case .invalidIssuer: "the issuer is not accepted"
            case .invalidAudience: "the audience is not accepted"
            case .missingClaim: "a required claim is missing"
            case .invalidClaim: "a claim has an invalid value"
            case .insufficientScope: "the token lacks a required scope"
            case .accessDenied: "access denied"
            case .rateLimited: "rate limit exceeded"
            case .quotaExceeded: "quota exceeded"
            case .decryptionFailed: "decryption failed"
            case .cryptoFailure: "the cryptographic backend failed"
            case .missingToken: "the request has no bearer token"
            case .invalidRequest: "the request is malformed"
            case .requestTooLarge: "the request body is too large"
            case .fetchFailed: "a remote document (discovery or JWK Set) could not be fetched"
            case .invalidClient: "client authentication failed"
            case .invalidGrant: "the grant is invalid"
            case .unauthorizedClient: "the client is not authorized for this request"
            case .unsupportedGrantType: "the grant type is not supported"
            case .invalidScope: "the requested scope is invalid or not allowed"
            case .invalidTarget: "the requested resource or audience is not allowed"
            }
        }
    }
}
