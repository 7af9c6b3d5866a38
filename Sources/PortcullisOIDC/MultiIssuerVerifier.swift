public import PortcullisJOSE
public import PortcullisJWT

/// Accepts tokens from a configured set of issuers (for example one per enterprise tenant).
///
/// The token's **unverified** `iss` is read only to choose among the configured issuers, by exact
/// comparison. A token naming any other issuer is refused with `invalid_issuer` before anything is
/// fetched, so a token can never make this verifier contact an issuer it was not configured with.
/// The chosen verifier then applies all of its rules with that issuer's keys, and the verified
/// `iss` must again equal the chosen issuer.
public struct MultiIssuerVerifier: TokenVerifying {
    /// The verifier of each configured issuer.
    public let verifiers: [String: any TokenVerifying]
    /// Tokens longer than this are refused (`token_too_large`) before the unverified read.
    public let maximumTokenSize: Int
    /// Bounds on the unverified header and payload.
    public let jsonLimits: JSONLimits

    /// One verifier per issuer.
    /// - Throws: `invalid_issuer` when two verifiers have the same issuer.
    public init(_ verifiers: [OIDCVerifier], maximumTokenSize: Int = 65_536, jsonLimits: JSONLimits = .default) throws(PortcullisError) {
        var byIssuer: [String: any TokenVerifying] = [:]
        for verifier in verifiers {
            guard byIssuer[verifier.provider.issuer] == nil else {
                throw PortcullisError(
                    .invalidIssuer, "issuer \"\(verifier.provider.issuer)\" is configured twice", claim: "iss")
            }
            byIssuer[verifier.provider.issuer] = verifier
        }
        self.init(verifiers: byIssuer, maximumTokenSize: maximumTokenSize, jsonLimits: jsonLimits)
    }

    /// Any verifiers, keyed by the exact issuer each one accepts.
    public init(verifiers: [String: any TokenVerifying], maximumTokenSize: Int = 65_536, jsonLimits: JSONLimits = .default) {
        self.verifiers = verifiers
        self.maximumTokenSize = maximumTokenSize
        self.jsonLimits = jsonLimits
    }

    /// The configured issuers, sorted.
    public var issuers: [String] { verifiers.keys.sorted() }

    /// Chooses the verifier by the unverified `iss`, verifies, and checks the verified `iss`.
    /// - Throws: `invalid_issuer` for a missing or unconfigured issuer; otherwise whatever the
    ///   chosen verifier throws.
    public func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken {
        let issuer = try unverifiedIssuer(token)
        guard let verifier = verifiers[issuer] else {
            throw PortcullisError(
                .invalidIssuer,
                "issuer \"\(issuer)\" is not configured (configured: \(issuers.map { "\"\($0)\"" }.joined(separator: ", "))); nothing is fetched for unconfigured issuers",
                claim: "iss", expected: issuers.joined(separator: " "), actual: issuer)
        }
        let verified = try await verifier.verifyToken(token)
        guard verified.issuer == issuer else {
            throw PortcullisError(
                .invalidIssuer, "the verified issuer \(verified.issuer.map { "\"\($0)\"" } ?? "(none)") is not \"\(issuer)\"",
                claim: "iss", expected: issuer, actual: verified.issuer)
        }
        return verified
    }

    /// `iss` from the unverified payload: only used as a lookup key.
    private func unverifiedIssuer(_ token: Substring) throws(PortcullisError) -> String {
        let jws = try JWSCompact.parse(token, maxSize: maximumTokenSize, jsonLimits: jsonLimits)
        let claims = try jws.payloadObject(limits: jsonLimits)
        guard let value = claims["iss"] else {
            throw PortcullisError(.invalidIssuer, "the token has no \"iss\" claim; the issuer cannot be chosen", claim: "iss")
        }
        guard let issuer = value.stringValue else {
            throw PortcullisError(.invalidIssuer, "the token's \"iss\" is \(value.typeName), not a string", claim: "iss")
        }
        return issuer
    }
}
