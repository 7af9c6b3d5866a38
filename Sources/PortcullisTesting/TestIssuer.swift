public import PortcullisJOSE
public import PortcullisCrypto
public import PortcullisJWT

/// An issuer for tests: a signing key, an in-memory JWK Set, and helpers that mint tokens and build
/// a verifier that trusts them.
///
/// ```swift
/// let issuer = try TestIssuer()
/// let token = try issuer.mint(subject: "user-42", scopes: ["completions"])
/// let verified = try issuer.verifier().verify(token)
/// ```
///
/// - Warning: For tests and local development only. Keys are generated in memory and never persisted.
public struct TestIssuer: Sendable {
    /// The `iss` value of minted tokens.
    public let issuer: String
    /// The default `aud` of minted tokens.
    public let audience: String
    /// The signing algorithm.
    public let algorithm: JWSAlgorithm
    /// The `kid` of the signing key.
    public let keyID: String
    /// The private signing key.
    public let signingKey: CryptoKey
    /// The clock minted times and verifiers read.
    public let clock: TestClock

    /// Creates an issuer with a fresh key for `algorithm` (ES256 by default).
    public init(
        issuer: String = "https://issuer.test", audience: String = "api://test", algorithm: JWSAlgorithm = .es256,
        keyID: String = "test-key-1", clock: TestClock = TestClock()
    ) throws(PortcullisError) {
        try self.init(
            issuer: issuer, audience: audience, algorithm: algorithm, keyID: keyID,
            signingKey: CryptoKey.generate(for: algorithm), clock: clock)
    }

    /// Creates an issuer around an existing private key.
    public init(
        issuer: String, audience: String, algorithm: JWSAlgorithm, keyID: String, signingKey: CryptoKey,
        clock: TestClock = TestClock()
    ) throws(PortcullisError) {
        _ = try JWTSigner(key: signingKey, algorithm: algorithm, keyID: keyID)
        self.issuer = issuer
        self.audience = audience
        self.algorithm = algorithm
        self.keyID = keyID
        self.signingKey = signingKey
        self.clock = clock
    }

    /// The claims a minted token carries before `extraClaims` are applied.
    public func standardClaims(subject: String, scopes: [String], lifetime: Double) -> JSONObject {
        let now = clock.seconds
        var claims: JSONObject = [
            "iss": .string(issuer),
            "sub": .string(subject),
            "aud": .string(audience),
            "iat": .number(JSONNumber(Int64(now))),
            "exp": .number(JSONNumber(Int64(now + lifetime))),
        ]
        if !scopes.isEmpty { claims["scope"] = .string(scopes.joined(separator: " ")) }
        return claims
    }

    /// Mints a signed access token (`typ: at+jwt`).
    /// - Parameters:
    ///   - subject: `sub`.
    ///   - scopes: written as the space-separated `scope` claim (omitted when empty).
    ///   - lifetime: seconds until `exp` (negative for an expired token).
    ///   - extraClaims: claims added or replaced (`tenant`, `roles`, a different `aud`, …); a
    ///     `.null` value removes the claim.
    public func mint(
        subject: String = "user-1", scopes: [String] = [], lifetime: Double = 300,
        extraClaims: JSONObject = JSONObject(), type: String? = "at+jwt"
    ) throws(PortcullisError) -> String {
        var claims = standardClaims(subject: subject, scopes: scopes, lifetime: lifetime)
        for member in extraClaims {
            claims[member.name] = member.value.isNull ? nil : member.value
        }
        return try JWTSigner(key: signingKey, algorithm: algorithm, keyID: keyID).sign(claims, type: type)
    }

    /// The public JWK Set (the private key never leaves the issuer, except for HMAC, whose "set"
    /// is the shared secret).
    public func jwks() throws(PortcullisError) -> JWKSet {
        var jwk = try signingKey.jwk(includingPrivate: algorithm.family == .hmac)
        jwk.keyID = keyID
        jwk.algorithm = algorithm.name
        jwk.use = "sig"
        return JWKSet(keys: [jwk])
    }

    /// The verification keys for ``jwks()``.
    public func keySet() throws(PortcullisError) -> KeySet {
        KeySet([VerificationKey(signingKey, keyID: keyID, algorithm: algorithm, use: "sig")])
    }

    /// A configuration that accepts this issuer's tokens: its issuer, audience, algorithm and clock.
    public func configuration() -> VerifierConfiguration {
        var configuration = VerifierConfiguration(algorithms: [algorithm], issuers: [issuer], audiences: [audience])
        configuration.clock = clock.now
        return configuration
    }

    /// A verifier that accepts this issuer's tokens.
    public func verifier() throws(PortcullisError) -> JWTVerifier {
        try JWTVerifier(keys: keySet(), configuration: configuration())
    }

    /// Mints and verifies in one step: a `VerifiedToken` for policy tests.
    public func verifiedToken(
        subject: String = "user-1", scopes: [String] = [], extraClaims: JSONObject = JSONObject()
    ) throws(PortcullisError) -> VerifiedToken {
        try verifier().verify(mint(subject: subject, scopes: scopes, extraClaims: extraClaims))
    }
}
