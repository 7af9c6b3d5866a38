public import PortcullisJOSE

/// A token-exchange request (RFC 8693 §2.1), validated parameter by parameter.
///
/// Rules, each answered with the error RFC 8693 §2.2.2 / RFC 6749 §5.2 names:
/// - `grant_type` is required (`invalid_request`) and must be
///   `urn:ietf:params:oauth:grant-type:token-exchange` (`unsupported_grant_type`).
/// - `subject_token` and `subject_token_type` are required; the type must be one of the
///   accepted types (`invalid_request`).
/// - `actor_token_type` is required with `actor_token` and must not appear without it (§2.1);
///   the type must be accepted (`invalid_request`).
/// - `resource` (an absolute URI without a fragment, §2.1) and `audience` may repeat.
/// - `scope` is a space-delimited list of scope tokens (RFC 6749 §3.3: `%x21 / %x23-5B / %x5D-7E`).
/// - `requested_token_type` must be a type this service issues (`invalid_request`).
/// - Every other parameter of this list appears at most once (RFC 6749 §3.2, `invalid_request`).
public struct TokenExchangeRequest: Sendable, Hashable {
    /// `subject_token`.
    public var subjectToken: String
    /// `subject_token_type`.
    public var subjectTokenType: String
    /// `actor_token`.
    public var actorToken: String?
    /// `actor_token_type` (present exactly when ``actorToken`` is).
    public var actorTokenType: String?
    /// Every `resource`, in order.
    public var resources: [String]
    /// Every `audience`, in order.
    public var audiences: [String]
    /// The requested scopes, duplicates removed, in order; empty when `scope` was not sent.
    public var scopes: [String]
    /// `requested_token_type`.
    public var requestedTokenType: String?

    /// The single-valued parameters of RFC 8693 §2.1 and RFC 6749 client authentication.
    static let singleValued = [
        "grant_type", "subject_token", "subject_token_type", "actor_token", "actor_token_type", "scope",
        "requested_token_type", "client_id", "client_secret", "client_assertion", "client_assertion_type",
    ]

    /// Validates a decoded form.
    /// - Parameter acceptedTokenTypes: The subject and actor token types accepted.
    /// - Throws: `invalid_request`, `unsupported_grant_type` (see the type's rules).
    public init(
        form: FormBody, acceptedTokenTypes: Set<String> = TokenExchangeURI.acceptedInputTypes
    ) throws(PortcullisError) {
        for name in Self.singleValued { _ = try form.single(name) }
        guard let grantType = try form.single("grant_type") else {
            throw PortcullisError(.invalidRequest, "grant_type is required", claim: "grant_type")
        }
        guard grantType == TokenExchangeURI.grantType else {
            throw PortcullisError(
                .unsupportedGrantType, "grant_type must be \(TokenExchangeURI.grantType)", claim: "grant_type",
                expected: TokenExchangeURI.grantType, actual: grantType)
        }
        guard let subjectToken = try form.single("subject_token") else {
            throw PortcullisError(.invalidRequest, "subject_token is required", claim: "subject_token")
        }
        guard let subjectTokenType = try form.single("subject_token_type") else {
            throw PortcullisError(.invalidRequest, "subject_token_type is required", claim: "subject_token_type")
        }
        try Self.checkType(subjectTokenType, parameter: "subject_token_type", accepted: acceptedTokenTypes)
        let actorToken = try form.single("actor_token")
        let actorTokenType = try form.single("actor_token_type")
        switch (actorToken, actorTokenType) {
        case (.some, nil):
            throw PortcullisError(.invalidRequest, "actor_token_type is required when actor_token is present", claim: "actor_token_type")
        case (nil, .some):
            throw PortcullisError(.invalidRequest, "actor_token_type must not be sent without actor_token", claim: "actor_token_type")
        case (.some, .some(let type)):
            try Self.checkType(type, parameter: "actor_token_type", accepted: acceptedTokenTypes)
        case (nil, nil): break
        }
        let resources = form.values("resource")
        for resource in resources { try Self.checkResource(resource) }
        let requestedTokenType = try form.single("requested_token_type")
        if let requestedTokenType, !TokenExchangeURI.issuableTypes.contains(requestedTokenType) {
            throw PortcullisError(
                .invalidRequest, "requested_token_type \(requestedTokenType) cannot be issued; this service issues \(TokenExchangeURI.issuableTypes.sorted().joined(separator: " or "))",
                claim: "requested_token_type", expected: TokenExchangeURI.issuableTypes.sorted().joined(separator: " "), actual: requestedTokenType)
        }
        self.subjectToken = subjectToken
        self.subjectTokenType = subjectTokenType
        self.actorToken = actorToken
        self.actorTokenType = actorTokenType
        self.resources = resources
        self.audiences = form.values("audience")
        self.scopes = try Self.parseScope(try form.single("scope"))
        self.requestedTokenType = requestedTokenType
    }

    /// The requested targets: every `resource` and `audience`, duplicates removed.
    public var targets: [String] {
        var seen = Set<String>()
        return (resources + audiences).filter { seen.insert($0).inserted }
    }

    /// The type the issued token is reported as: `requested_token_type`, or an access token.
    public var issuedTokenType: String { requestedTokenType ?? TokenExchangeURI.accessToken }

    static func checkType(_ type: String, parameter: String, accepted: Set<String>) throws(PortcullisError) {
        guard accepted.contains(type) else {
            throw PortcullisError(
                .invalidRequest, "\(parameter) \(type) is not accepted; accepted: \(accepted.sorted().joined(separator: ", "))",
                claim: parameter, expected: accepted.sorted().joined(separator: " "), actual: type)
        }
    }

    /// RFC 8693 §2.1: an absolute URI (a scheme, then `:`), without a fragment.
    static func checkResource(_ resource: String) throws(PortcullisError) {
        let scheme = resource.prefix { $0 != ":" }
        let validScheme = scheme.count < resource.count && !scheme.isEmpty
            && scheme.first?.isASCII == true && scheme.first?.isLetter == true
            && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
        guard validScheme, !resource.contains("#"), !resource.contains(where: { $0 == " " || !$0.isASCII }) else {
            throw PortcullisError(
                .invalidRequest, "resource must be an absolute URI without a fragment (RFC 8693 §2.1)", claim: "resource", actual: resource)
        }
    }

    /// Splits `scope` on single spaces (RFC 6749 §3.3) and checks every scope token's characters.
    static func parseScope(_ scope: String?) throws(PortcullisError) -> [String] {
        guard let scope else { return [] }
        var result: [String] = []
        for token in scope.split(separator: " ", omittingEmptySubsequences: false) {
            let valid = !token.isEmpty && token.unicodeScalars.allSatisfy {
                $0.value == 0x21 || (0x23...0x5B).contains($0.value) || (0x5D...0x7E).contains($0.value)
            }
            guard valid else {
                throw PortcullisError(
                    .invalidRequest, "scope must be scope tokens separated by single spaces (RFC 6749 §3.3)", claim: "scope", actual: scope)
            }
            if !result.contains(String(token)) { result.append(String(token)) }
        }
        return result
    }
}
