public import PortcullisJOSE

extension JWTVerifier {
    /// Validates the claims of a signature-verified token: `typ`, registered claim types, time
    /// (`exp`, `nbf`, `iat`, maximum age), `iss`, `aud`, required claims and scopes.
    ///
    /// Time rules (RFC 7519 §4.1.4–4.1.6, pinned by the Portcullis contract), with `L` the leeway:
    /// - `exp` is required and must be a number; accepted only while `now < exp + L`.
    /// - `nbf`, when present, must be a number; accepted only when `now >= nbf - L`.
    /// - `iat`, when present, must be a number no later than `now + L` (else `invalid_claim`).
    /// - with ``VerifierConfiguration/maximumTokenAge``, `iat` is required and
    ///   `now - iat` must not exceed the age plus `L` (else `expired`).
    public func validateClaims(of jws: SignatureVerifiedJWS) throws(PortcullisError) -> VerifiedToken {
        let claims = JWTClaims(json: try JSONReader.parseObject(jws.payload, limits: configuration.jsonLimits))
        return try validateClaims(claims, header: jws.header, algorithm: jws.algorithm, keyID: jws.keyID)
    }

    /// ``validateClaims(of:)`` on the parts, so that ``verify(_:)-(String)`` builds no
    /// intermediate ``SignatureVerifiedJWS``.
    func validateClaims(
        _ claims: JWTClaims, header: JOSEHeader, algorithm: JWSAlgorithm, keyID: String?
    ) throws(PortcullisError) -> VerifiedToken {
        if let expected = configuration.expectedType {
            guard let type = header.type else {
                throw PortcullisError(
                    .invalidType, "the token has no \"typ\" header; expected \"\(expected)\"",
                    claim: "typ", expected: expected)
            }
            guard VerifierConfiguration.typeMatches(type, expected: expected) else {
                throw PortcullisError(
                    .invalidType, "the token's \"typ\" is \"\(type)\"; expected \"\(expected)\"",
                    claim: "typ", expected: expected, actual: type)
            }
        }

        // One pass over the members; the conversions throw what the accessors `issuer`,
        // `subject`, `audience`, `jwtID`, `expiration`, `notBefore`, `issuedAt` would, in that order.
        let found = claims.registeredIndices()
        let issuer = try JWTClaims.string("iss", claims.value(at: found.issuer))
        let subject = try JWTClaims.string("sub", claims.value(at: found.subject))
        let audience = try JWTClaims.audience(claims.value(at: found.audience))
        let jwtID = try JWTClaims.string("jti", claims.value(at: found.jwtID))
        guard let expiration = try JWTClaims.date("exp", claims.value(at: found.expiration)) else {
            throw PortcullisError(.missingClaim, "the token has no \"exp\" claim; it is required", claim: "exp")
        }
        let notBefore = try JWTClaims.date("nbf", claims.value(at: found.notBefore))
        let issuedAt = try JWTClaims.date("iat", claims.value(at: found.issuedAt))

        let now = configuration.clock().secondsSince1970
        let leeway = configuration.leeway
        try Self.checkTimes(
            now: now, leeway: leeway, expiration: expiration, notBefore: notBefore, issuedAt: issuedAt,
            maximumAge: configuration.maximumTokenAge)

        if !configuration.issuers.isEmpty {
            guard let issuer else {
                throw PortcullisError(
                    .invalidIssuer, "the token has no \"iss\" claim; expected \(Self.list(configuration.issuers))",
                    claim: "iss", expected: configuration.issuers.joined(separator: " "))
            }
            guard configuration.issuers.contains(issuer) else {
                throw PortcullisError(
                    .invalidIssuer, "issuer \"\(issuer)\" is not accepted; expected \(Self.list(configuration.issuers))",
                    claim: "iss", expected: configuration.issuers.joined(separator: " "), actual: issuer)
            }
        }

        try Self.checkAudience(audience, present: found.audience != nil, accepted: configuration.audiences)

        for name in configuration.requiredClaims where claims[name] == nil {
            throw PortcullisError(.missingClaim, "the required claim \"\(name)\" is missing", claim: name)
        }

        if !configuration.requiredScopes.isEmpty {
            let granted = try claims.scopes
            let missing = configuration.requiredScopes.filter { !granted.contains($0) }
            if !missing.isEmpty {
                throw PortcullisError(
                    .insufficientScope,
                    "the token lacks scope \(Self.list(missing)); it has \(granted.isEmpty ? "no scopes" : Self.list(granted))",
                    claim: "scope", expected: configuration.requiredScopes.joined(separator: " "),
                    actual: granted.joined(separator: " "))
            }
        }

        return VerifiedToken(
            header: header, claims: claims, algorithm: algorithm, verifiedKeyID: keyID,
            issuer: issuer, subject: subject, audience: audience ?? [], expiration: expiration,
            notBefore: notBefore, issuedAt: issuedAt, jwtID: jwtID)
    }

    static func checkTimes(
        now: Double, leeway: Double, expiration: NumericDate, notBefore: NumericDate?,
        issuedAt: NumericDate?, maximumAge: Double?
    ) throws(PortcullisError) {
        let exp = expiration.secondsSince1970
        guard now < exp + leeway else {
            throw PortcullisError(
                .expired, "the token expired at \(Self.describe(exp)) (\(Self.seconds(now - exp)) ago, leeway \(Self.seconds(leeway)))",
                claim: "exp", expected: "now < exp + \(Self.seconds(leeway))", actual: expiration.description)
        }
        if let notBefore {
            let nbf = notBefore.secondsSince1970
            guard now >= nbf - leeway else {
                throw PortcullisError(
                    .notYetValid, "the token is not valid before \(Self.describe(nbf)) (in \(Self.seconds(nbf - now)), leeway \(Self.seconds(leeway)))",
                    claim: "nbf", expected: "now >= nbf - \(Self.seconds(leeway))", actual: notBefore.description)
            }
        }
        if let issuedAt {
            let iat = issuedAt.secondsSince1970
            guard iat <= now + leeway else {
                throw PortcullisError(
                    .invalidClaim, "the token claims to be issued in the future, at \(Self.describe(iat))",
                    claim: "iat", expected: "iat <= now + \(Self.seconds(leeway))", actual: issuedAt.description)
            }
        }
        if let maximumAge {
            guard let issuedAt else {
                throw PortcullisError(
                    .missingClaim, "the token has no \"iat\" claim, needed to enforce a maximum age", claim: "iat")
            }
            let age = now - issuedAt.secondsSince1970
            guard age <= maximumAge + leeway else {
                throw PortcullisError(
                    .expired, "the token is \(Self.seconds(age)) old; the maximum age is \(Self.seconds(maximumAge))",
                    claim: "iat", expected: "age <= \(Self.seconds(maximumAge))", actual: Self.seconds(age))
            }
        }
    }

    /// RFC 7519 §4.1.3: a token that carries `aud` must be for us; this verifier also refuses a
    /// token without `aud` when it is configured with audiences.
    static func checkAudience(_ audience: [String]?, present: Bool, accepted: [String]) throws(PortcullisError) {
        if let audience, present {
            if accepted.contains(where: audience.contains) { return }
            let hint = audience.first.map { " (pass --audience \($0) or configure it)" } ?? ""
            let expected = accepted.isEmpty ? "no audience configured" : Self.list(accepted)
            throw PortcullisError(
                .invalidAudience, "the token is for \(audience.isEmpty ? "an empty audience list" : Self.list(audience)); accepted: \(expected)\(audience.isEmpty ? "" : hint)",
                claim: "aud", expected: accepted.joined(separator: " "), actual: audience.joined(separator: " "))
        }
        if !accepted.isEmpty {
            throw PortcullisError(
                .invalidAudience, "the token has no \"aud\" claim; expected \(Self.list(accepted))",
                claim: "aud", expected: accepted.joined(separator: " "))
        }
    }

    static func list(_ values: [String]) -> String {
        values.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    static func seconds(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == magnitude.rounded(), magnitude < 1e15 { return "\(Int64(magnitude)) s" }
        return "\(magnitude) s"
    }

    static func describe(_ unixSeconds: Double) -> String {
        NumericDate(unixSeconds).description
    }
}
