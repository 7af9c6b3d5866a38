public import PortcullisJOSE
public import PortcullisJWT
import PortcullisCrypto

/// Validates OpenID Connect ID tokens (Core 1.0 §3.1.3.7, §3.2.2.11, §3.3.2.12, claims of §2) on
/// top of a signature-and-claims verifier.
///
/// ```swift
/// let validator = IDTokenValidator(provider: provider, clientID: "portal")
/// let id = try await validator.validate(idToken, expecting: IDTokenExpectations(nonce: sentNonce))
/// ```
///
/// Rules, in order, each with its reason code:
/// 1. signature, `exp`, `nbf`, `iat` in the future, key choice: the verifier (`expired`,
///    `invalid_signature`, `key_not_found`, …);
/// 2. `iss` equals ``issuer`` exactly (`invalid_issuer`);
/// 3. the algorithm is in ``expectedAlgorithms`` when set (`algorithm_not_allowed`);
/// 4. `aud` contains ``clientID`` (`invalid_audience`), and any other audience is in
///    ``additionalAudiences`` unless that is `nil` (`invalid_audience`, §3.1.3.7 item 3);
/// 5. `azp`: required when there are several audiences (`missing_claim`), and when present it
///    must be a string equal to ``clientID`` (`invalid_claim`) (items 4–5);
/// 6. `sub` and `iat` are required (`missing_claim`, §2);
/// 7. `nonce` equals the expected nonce, compared in constant time (`missing_claim`,
///    `invalid_claim`; item 11);
/// 8. `acr` is one of the requested values (`missing_claim`, `invalid_claim`; item 12);
/// 9. `auth_time`: a number; required with `max_age` or when requested (`missing_claim`); with
///    `max_age`, accepted while `now <= auth_time + max_age + leeway` (`invalid_claim`; item 13);
/// 10. `at_hash` / `c_hash` match the access token / code, compared in constant time
///    (`missing_claim` when required, `invalid_claim`; see ``TokenHash`` for the hash choice).
public struct IDTokenValidator: Sendable {
    /// The issuer the ID token must come from.
    public let issuer: String
    /// The client's `client_id`.
    public let clientID: String
    /// Verifies signature, time and the issuer's keys.
    public let verifier: any TokenVerifying
    /// Audiences besides ``clientID`` the client trusts; `nil` accepts any (only `azp` then ties
    /// the token to this client). Default empty: a token with an untrusted extra audience is refused.
    public var additionalAudiences: Set<String>?
    /// The algorithms the client registered or expects (`id_token_signed_response_alg`,
    /// §3.1.3.7 item 7); `nil` leaves the choice to the verifier (the provider's metadata).
    public var expectedAlgorithms: Set<JWSAlgorithm>?
    /// Clock skew for `auth_time`, in seconds. Default 60.
    public var leeway: Double
    /// The current time.
    public var clock: @Sendable () -> NumericDate

    /// A validator over any verifier. The verifier should accept ``clientID`` as audience.
    public init(issuer: String, clientID: String, verifier: any TokenVerifying) {
        self.issuer = issuer
        self.clientID = clientID
        self.verifier = verifier
        self.additionalAudiences = []
        self.expectedAlgorithms = nil
        self.leeway = 60
        self.clock = { NumericDate.now }
    }

    /// A validator for `provider`'s ID tokens: an ``OIDCVerifier`` with audience ``clientID``, no
    /// `typ` or scope requirement, algorithms from the provider's metadata unless `configuration`
    /// names some, and the leeway, clock and limits of `configuration` (its `issuers`,
    /// `audiences`, `expectedType` and `requiredScopes` are replaced).
    public init(provider: OIDCProvider, clientID: String, configuration: VerifierConfiguration? = nil) {
        var rules = configuration ?? VerifierConfiguration(algorithms: [])
        rules.audiences = [clientID]
        rules.expectedType = nil
        rules.requiredScopes = []
        self.init(issuer: provider.issuer, clientID: clientID, verifier: OIDCVerifier(provider: provider, configuration: rules))
        self.leeway = rules.leeway
        self.clock = rules.clock
    }

    /// Verifies `idToken` and applies every ID-token rule.
    /// - Throws: `PortcullisError` naming the rule that failed.
    public func validate(
        _ idToken: some StringProtocol, expecting expectations: IDTokenExpectations = IDTokenExpectations()
    ) async throws(PortcullisError) -> VerifiedIDToken {
        let compact = Substring(idToken)
        let token = try await verifier.verifyToken(compact)
        let claims = token.claims
        guard token.issuer == issuer else {
            throw PortcullisError(
                .invalidIssuer, "the ID token's issuer \(token.issuer.map { "\"\($0)\"" } ?? "(none)") is not \"\(issuer)\"",
                claim: "iss", expected: issuer, actual: token.issuer)
        }
        if let expectedAlgorithms, !expectedAlgorithms.contains(token.algorithm) {
            throw PortcullisError(
                .algorithmNotAllowed,
                "the ID token is signed with \(token.algorithm.name); the client expects \(expectedAlgorithms.map(\.name).sorted().joined(separator: ", "))",
                actual: token.algorithm.name, algorithm: token.algorithm.name)
        }
        try checkAudience(token)
        guard let subject = token.subject else {
            throw PortcullisError(.missingClaim, "the ID token has no \"sub\" claim (OpenID Connect Core §2)", claim: "sub")
        }
        guard let issuedAt = token.issuedAt else {
            throw PortcullisError(.missingClaim, "the ID token has no \"iat\" claim (OpenID Connect Core §2)", claim: "iat")
        }
        let nonce = try claims.string("nonce")
        try checkNonce(nonce, expected: expectations.nonce)
        let acr = try claims.string("acr")
        try checkACR(acr, acceptable: expectations.acceptableACRValues)
        let authTime = try claims.date("auth_time")
        try checkAuthTime(authTime, expectations: expectations)
        try checkHashes(claims, token: token, compact: compact, expectations: expectations)
        return VerifiedIDToken(
            token: token, subject: subject, issuedAt: issuedAt, authTime: authTime, nonce: nonce,
            authenticationContextClass: acr,
            authenticationMethods: claims["amr"]?.arrayValue?.compactMap(\.stringValue),
            authorizedParty: try claims.string("azp"))
    }

    /// §3.1.3.7 items 3–5.
    private func checkAudience(_ token: VerifiedToken) throws(PortcullisError) {
        let audience = token.audience
        guard audience.contains(clientID) else {
            throw PortcullisError(
                .invalidAudience, "the ID token is for \(Self.quoted(audience)), not for client \"\(clientID)\"",
                claim: "aud", expected: clientID, actual: audience.joined(separator: " "))
        }
        if let additionalAudiences {
            let untrusted = audience.filter { $0 != clientID && !additionalAudiences.contains($0) }
            guard untrusted.isEmpty else {
                throw PortcullisError(
                    .invalidAudience, "the ID token also names untrusted audience \(Self.quoted(untrusted)) (OpenID Connect Core §3.1.3.7 item 3)",
                    claim: "aud", expected: clientID, actual: audience.joined(separator: " "))
            }
        }
        let authorizedParty = try token.claims.string("azp")
        if Set(audience).count > 1, authorizedParty == nil {
            throw PortcullisError(
                .missingClaim, "the ID token has several audiences and no \"azp\" claim (OpenID Connect Core §2)", claim: "azp")
        }
        if let authorizedParty, authorizedParty != clientID {
            throw PortcullisError(
                .invalidClaim, "the ID token's \"azp\" is \"\(authorizedParty)\", not this client \"\(clientID)\"",
                claim: "azp", expected: clientID, actual: authorizedParty)
        }
    }

    /// §3.1.3.7 item 11.
    private func checkNonce(_ nonce: String?, expected: String?) throws(PortcullisError) {
        guard let expected else { return }
        guard let nonce else {
            throw PortcullisError(.missingClaim, "a nonce was sent but the ID token has no \"nonce\" claim", claim: "nonce")
        }
        guard ConstantTime.equals(Array(nonce.utf8), Array(expected.utf8)) else {
            throw PortcullisError(.invalidClaim, "the ID token's \"nonce\" is not the one sent in the request", claim: "nonce")
        }
    }

    /// §3.1.3.7 item 12.
    private func checkACR(_ acr: String?, acceptable: [String]?) throws(PortcullisError) {
        guard let acceptable else { return }
        guard let acr else {
            throw PortcullisError(
                .missingClaim, "the ID token has no \"acr\" claim; requested \(Self.quoted(acceptable))", claim: "acr",
                expected: acceptable.joined(separator: " "))
        }
        guard acceptable.contains(acr) else {
            throw PortcullisError(
                .invalidClaim, "the ID token's \"acr\" is \"\(acr)\"; requested \(Self.quoted(acceptable))",
                claim: "acr", expected: acceptable.joined(separator: " "), actual: acr)
        }
    }

    /// §3.1.2.1 `max_age`, §3.1.3.7 item 13.
    private func checkAuthTime(_ authTime: NumericDate?, expectations: IDTokenExpectations) throws(PortcullisError) {
        guard expectations.maxAge != nil || expectations.requiresAuthTime else { return }
        guard let authTime else {
            let why = expectations.maxAge != nil ? "max_age was requested" : "auth_time was requested"
            throw PortcullisError(.missingClaim, "the ID token has no \"auth_time\" claim, and \(why)", claim: "auth_time")
        }
        guard let maxAge = expectations.maxAge else { return }
        let now = clock().secondsSince1970
        let deadline = authTime.secondsSince1970 + maxAge + leeway
        guard now <= deadline else {
            throw PortcullisError(
                .invalidClaim,
                "the End-User authenticated at \(authTime), \(Int64((now - authTime.secondsSince1970).rounded())) s ago, longer than max_age \(maxAge) s (leeway \(leeway) s): re-authentication is needed",
                claim: "auth_time", expected: "auth_time + \(maxAge) >= now", actual: authTime.description)
        }
    }

    /// §3.1.3.8 / §3.2.2.9 `at_hash`, §3.3.2.10 `c_hash`.
    private func checkHashes(
        _ claims: JWTClaims, token: VerifiedToken, compact: Substring, expectations: IDTokenExpectations
    ) throws(PortcullisError) {
        let curve = TokenHash.edDSACurve(ofCompact: compact, algorithm: token.algorithm)
        let pairs: [(claim: String, value: String?, required: Bool)] = [
            ("at_hash", expectations.accessToken, expectations.requiresAccessTokenHash),
            ("c_hash", expectations.authorizationCode, expectations.requiresCodeHash),
        ]
        for (claim, value, required) in pairs {
            guard let hash = try claims.string(claim) else {
                if required {
                    throw PortcullisError(.missingClaim, "the ID token has no \"\(claim)\" claim, required for this response type", claim: claim)
                }
                continue
            }
            guard let value else {
                if required {
                    let what = claim == "c_hash" ? "authorization code" : "access token"
                    throw PortcullisError(.missingClaim, "\"\(claim)\" is required but no \(what) was given to check it against", claim: claim)
                }
                continue
            }
            try TokenHash.check(hash, claim: claim, of: value, algorithm: token.algorithm, curve: curve)
        }
    }

    private static func quoted(_ values: [String]) -> String {
        values.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
