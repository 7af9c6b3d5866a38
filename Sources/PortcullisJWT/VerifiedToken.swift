public import PortcullisJOSE

/// A token whose signature and claims passed every check of a ``JWTVerifier``.
///
/// Only the verifier creates these, so holding one means the checks ran. Registered claims are
/// already type-checked; custom claims are read with ``subscript(_:)`` or ``decode(_:)``.
public struct VerifiedToken: Sendable {
    /// The protected header.
    public let header: JOSEHeader
    /// The claim set.
    public let claims: JWTClaims
    /// The algorithm the signature was verified with.
    public let algorithm: JWSAlgorithm
    /// The `kid` of the key that verified the signature, when it has one.
    public let verifiedKeyID: String?

    /// `iss` (RFC 7519 §4.1.1).
    public let issuer: String?
    /// `sub` (RFC 7519 §4.1.2).
    public let subject: String?
    /// `aud` as a list, empty when absent (RFC 7519 §4.1.3).
    public let audience: [String]
    /// `exp` (RFC 7519 §4.1.4); always present on a verified token.
    public let expiration: NumericDate
    /// `nbf` (RFC 7519 §4.1.5).
    public let notBefore: NumericDate?
    /// `iat` (RFC 7519 §4.1.6).
    public let issuedAt: NumericDate?
    /// `jti` (RFC 7519 §4.1.7).
    public let jwtID: String?

    init(
        header: JOSEHeader, claims: JWTClaims, algorithm: JWSAlgorithm, verifiedKeyID: String?,
        issuer: String?, subject: String?, audience: [String], expiration: NumericDate,
        notBefore: NumericDate?, issuedAt: NumericDate?, jwtID: String?
    ) {
        self.header = header
        self.claims = claims
        self.algorithm = algorithm
        self.verifiedKeyID = verifiedKeyID
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiration = expiration
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.jwtID = jwtID
    }

    /// The granted scopes: `scope` split on spaces, or `scp` when `scope` is absent (RFC 9068
    /// §2.2.3, RFC 8693 §4.2). Empty when neither is present.
    public var scopes: [String] { (try? claims.scopes) ?? [] }

    /// `client_id` (RFC 9068 §2.2, RFC 8693 §4.3), when it is a string.
    public var clientID: String? { claims["client_id"]?.stringValue }

    /// The raw value of any claim.
    public subscript(claim: String) -> JSONValue? { claims[claim] }

    /// Decodes the claim set (or your subset of it) into a `Decodable` type.
    /// - Throws: `.invalidClaim` when the claims do not match `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws(PortcullisError) -> T {
        try claims.decode(type)
    }
}

extension VerifiedToken {
    /// This token with its claim set replaced by `json`; the header, algorithm, key and the
    /// registered claims read at verification (``issuer``, ``subject``, ``audience``, times) stay.
    ///
    /// Package-only, so applications cannot make a ``VerifiedToken`` of unverified claims: the
    /// relying party uses it for claims it received from the provider itself over an
    /// authenticated channel (the userinfo response, OpenID Connect Core 1.0 §5.3.2), whose
    /// `sub` it checked against this token's.
    package func replacingClaims(_ json: JSONObject) -> VerifiedToken {
        VerifiedToken(
            header: header, claims: JWTClaims(json: json), algorithm: algorithm, verifiedKeyID: verifiedKeyID,
            issuer: issuer, subject: subject, audience: audience, expiration: expiration, notBefore: notBefore,
            issuedAt: issuedAt, jwtID: jwtID)
    }
}

extension VerifiedToken {
    /// The token as a JSON object for a trusted server-side store: header, claims, algorithm, and
    /// the verifying key's id.
    package var storedForm: JSONObject {
        var json: JSONObject = [
            "header": .object(header.json), "claims": .object(claims.json), "alg": .string(algorithm.name),
        ]
        if let verifiedKeyID { json["kid"] = .string(verifiedKeyID) }
        return json
    }

    /// Restores ``storedForm``. The signature is **not** checked again: only for what this server
    /// stored itself after verification (a session store), never for input from a client.
    /// - Throws: `malformed` for anything that is not a stored form.
    package init(restoring json: JSONObject) throws(PortcullisError) {
        guard let header = json["header"]?.objectValue, let claims = json["claims"]?.objectValue,
              let name = json["alg"]?.stringValue, let algorithm = JWSAlgorithm(name: name)
        else { throw PortcullisError(.malformed, "not a stored token") }
        let set = JWTClaims(json: claims)
        guard let expiration = try set.expiration else { throw PortcullisError(.malformed, "a stored token has no exp") }
        self.init(
            header: try JOSEHeader(json: header), claims: set, algorithm: algorithm, verifiedKeyID: json["kid"]?.stringValue,
            issuer: try set.issuer, subject: try set.subject, audience: try set.audience ?? [], expiration: expiration,
            notBefore: try set.notBefore, issuedAt: try set.issuedAt, jwtID: try set.jwtID)
    }
}
