public import PortcullisJOSE
import PortcullisCrypto

/// Verifies compact JWS JSON Web Tokens: parse → check the header → choose the key → verify the
/// signature → validate the claims → ``VerifiedToken``.
///
/// ```swift
/// let keys = try KeySet(jwksJSON: Array(jwksData))
/// let verifier = JWTVerifier(keys: keys, configuration: VerifierConfiguration(
///     algorithms: [.rs256], issuers: ["https://login.example.com"], audiences: ["api://completions"]))
/// let token = try verifier.verify(bearerToken)
/// print(token.subject, token.scopes)
/// ```
///
/// Each failure throws a ``PortcullisError`` whose code says which rule failed. The order of the
/// checks is part of the contract: size (`token_too_large`) before any decoding; structure
/// (`malformed`); `alg` (`unsupported_algorithm`, `algorithm_not_allowed`); `crit`
/// (`unsupported_critical_header`); key choice (`key_not_found`, `invalid_key`); signature
/// (`invalid_signature`); and only then the claims — so nothing about the claims of an unsigned
/// token is ever reported.
///
/// - Warning: Header parameters that point at keys (`jku`, `x5u`, `x5c`, `jwk`) are never
///   followed or trusted (RFC 8725 §3.10); keys come only from the ``KeySet``.
public struct JWTVerifier: Sendable {
    /// The trusted keys.
    public let keys: KeySet
    /// The rules besides the signature.
    public let configuration: VerifierConfiguration
    /// `configuration.algorithms` as a small array: a linear scan comparing names is cheaper per
    /// token than hashing the name for a `Set` lookup.
    private let allowedAlgorithms: [JWSAlgorithm]

    /// Creates a verifier.
    public init(keys: KeySet, configuration: VerifierConfiguration) {
        self.keys = keys
        self.configuration = configuration
        self.allowedAlgorithms = JWSAlgorithm.all.filter(configuration.algorithms.contains)
    }

    /// Verifies a compact JWS JWT.
    /// - Parameter token: The token, without a `Bearer ` prefix or surrounding whitespace.
    /// - Returns: The verified token.
    /// - Throws: `PortcullisError` naming the rule that failed.
    public func verify(_ token: String) throws(PortcullisError) -> VerifiedToken {
        try verify(utf8: token.utf8)
    }

    /// Verifies a compact JWS JWT given as a substring (for example the part of an
    /// `Authorization` header after `Bearer `). See ``verify(_:)-(String)``.
    public func verify(_ token: Substring) throws(PortcullisError) -> VerifiedToken {
        try verify(utf8: token.utf8)
    }

    /// The pipeline over the token's UTF-8 bytes, copied once (never through an intermediate `String`).
    private func verify<UTF8Bytes: Collection<UInt8>>(utf8 token: UTF8Bytes) throws(PortcullisError) -> VerifiedToken {
        // Size first, before the token's bytes are even copied (RFC 8725 §3.1 spirit).
        let size = token.count
        guard size <= configuration.maximumTokenSize else {
            throw PortcullisError(
                .tokenTooLarge, "the token is \(size) bytes; the maximum is \(configuration.maximumTokenSize)")
        }
        let jws = try JWSCompact.parse(
            bytes: Array(token), maxSize: configuration.maximumTokenSize, jsonLimits: configuration.jsonLimits)
        let algorithm = try checkHeader(jws.header)
        let claims = try jws.payloadObject(limits: configuration.jsonLimits)
        let keyID = try checkSignature(jws, algorithm: algorithm)
        return try validateClaims(JWTClaims(json: claims), header: jws.header, algorithm: algorithm, keyID: keyID)
    }

    /// Verifies structure, header rules and signature of any compact JWS, leaving the payload
    /// uninterpreted: for signed payloads that are not JWTs (RFC 7515 §A.4, RFC 7520 §4) and for
    /// diagnostics. Applications verifying tokens call ``verify(_:)``.
    public func verifySignature(_ token: String) throws(PortcullisError) -> SignatureVerifiedJWS {
        let jws = try JWSCompact.parse(
            token, maxSize: configuration.maximumTokenSize, jsonLimits: configuration.jsonLimits)
        let algorithm = try checkHeader(jws.header)
        let keyID = try checkSignature(jws, algorithm: algorithm)
        return SignatureVerifiedJWS(
            header: jws.header, payload: jws.payload, algorithm: algorithm, keyID: keyID)
    }

    /// `alg` (RFC 7515 §4.1.1, RFC 8725 §3.1), `crit` (RFC 7515 §4.1.11) and `b64` (RFC 7797 §6).
    private func checkHeader(_ header: JOSEHeader) throws(PortcullisError) -> JWSAlgorithm {
        let algorithm = try allowedAlgorithm(header)
        try header.validateCritical(understood: configuration.understoodCriticalHeaders)
        guard header.base64URLEncodePayload else {
            throw PortcullisError(
                .malformed, "\"b64\": false (RFC 7797 unencoded payload) is not allowed for JWTs", claim: "b64")
        }
        return algorithm
    }

    /// Chooses the key and verifies the signature; returns the key's `kid`.
    private func checkSignature(_ jws: JWSCompact, algorithm: JWSAlgorithm) throws(PortcullisError) -> String? {
        let key = try keys.resolveKey(keyID: jws.header.keyID, algorithm: algorithm)
        let valid = try key.key.verify(
            signature: jws.signature, signingInput: jws.signingInput, algorithm: algorithm)
        guard valid else {
            let name = key.keyID.map { "key \"\($0)\"" } ?? "the key"
            throw PortcullisError(
                .invalidSignature, "the \(algorithm.name) signature does not verify with \(name)",
                keyID: key.keyID, algorithm: algorithm.name)
        }
        return key.keyID
    }

    /// Resolves `alg` against the implementation and the allow-list (RFC 7515 §4.1.1, RFC 8725 §3.1).
    private func allowedAlgorithm(_ header: JOSEHeader) throws(PortcullisError) -> JWSAlgorithm {
        let name = header.algorithm
        guard let algorithm = JWSAlgorithm(name: name) else {
            if JWSAlgorithm.isNone(name) {
                throw PortcullisError(
                    .unsupportedAlgorithm, "unsecured tokens (alg \"\(name)\") are never accepted", algorithm: name)
            }
            throw PortcullisError(
                .unsupportedAlgorithm, "algorithm \"\(name)\" is not supported", algorithm: name)
        }
        guard allowedAlgorithms.contains(algorithm) else {
            let allowed = JWSAlgorithm.all.filter(configuration.algorithms.contains).map(\.name)
            throw PortcullisError(
                .algorithmNotAllowed,
                "algorithm \(name) is not allowed (allowed: \(allowed.isEmpty ? "none configured" : allowed.joined(separator: ", ")))",
                expected: allowed.joined(separator: ","), actual: name, algorithm: name)
        }
        return algorithm
    }
}

/// A JWS whose structure, header and signature were verified, but whose claims were not yet
/// validated. Pass it to ``JWTVerifier/validateClaims(of:)``.
public struct SignatureVerifiedJWS: Sendable {
    /// The protected header.
    public let header: JOSEHeader
    /// The payload bytes (RFC 7515 §2 "JWS Payload").
    public let payload: [UInt8]
    /// The verified algorithm.
    public let algorithm: JWSAlgorithm
    /// The `kid` of the verifying key.
    public let keyID: String?
}
