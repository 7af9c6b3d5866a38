public import PortcullisJOSE
public import PortcullisJWT

/// Verifies nested JWTs (RFC 7519 §5.2, §7.2 step 8): a JWE whose `cty` is `JWT`, carrying a
/// signed JWT. The JWE is decrypted, then the inner JWS goes through the ``JWTVerifier`` and
/// every one of its rules. Nesting is limited to one level: the inner token must be a JWS.
///
/// `RSA1_5` and `PBES2-*` are never accepted here, even when the decrypter's configuration
/// allows them (the Portcullis contract for nested tokens).
///
/// ```swift
/// let nested = NestedJWTVerifier(decrypter: decrypter, verifier: verifier, requiresEncryption: true)
/// let token = try nested.verify(bearer).token
/// ```
public struct NestedJWTVerifier: Sendable {
    /// The decrypter, with the unsafe algorithms removed from its allow-list.
    public let decrypter: JWEDecrypter
    /// The verifier of the inner JWS.
    public let verifier: JWTVerifier
    /// When `true`, a plain JWS is refused (`malformed`); when `false` it is verified as usual.
    public let requiresEncryption: Bool

    /// Creates a nested-token verifier.
    public init(decrypter: JWEDecrypter, verifier: JWTVerifier, requiresEncryption: Bool = false) {
        var configuration = decrypter.configuration
        configuration.algorithms = configuration.algorithms.filter { !$0.isUnsafe }
        self.decrypter = JWEDecrypter(keys: decrypter.keys, configuration: configuration)
        self.verifier = verifier
        self.requiresEncryption = requiresEncryption
    }

    /// Verifies a nested JWT (or a plain JWS unless encryption is required).
    /// - Throws: the decrypter's errors, `malformed` when the JWE's `cty` is not `JWT` or its
    ///   content is not a compact JWS (another JWE is one level too deep), then the verifier's errors.
    public func verify(_ token: String) throws(PortcullisError) -> NestedVerifiedToken {
        guard JWECompact.looksLikeJWE(token) else {
            if requiresEncryption {
                throw PortcullisError(.malformed, "the token is not encrypted; an encrypted (JWE) nested JWT is required")
            }
            return NestedVerifiedToken(token: try verifier.verify(token), encryptionHeader: nil)
        }
        let decrypted = try decrypter.decrypt(token)
        guard let contentType = decrypted.header.contentType, Self.isJWT(contentType) else {
            throw PortcullisError(
                .malformed, "the JWE does not carry a nested JWT: its \"cty\" must be \"JWT\" (RFC 7519 §5.2)", claim: "cty",
                expected: "JWT", actual: decrypted.header.contentType ?? "(none)")
        }
        guard let inner = String(validating: decrypted.plaintext, as: UTF8.self) else {
            throw PortcullisError(.malformed, "the nested JWT is not UTF-8 text")
        }
        guard !JWECompact.looksLikeJWE(inner) else {
            throw PortcullisError(.malformed, "the nested JWT is itself encrypted; only one level of nesting is accepted")
        }
        return NestedVerifiedToken(token: try verifier.verify(inner), encryptionHeader: decrypted.header)
    }

    /// Verifies a token given as a substring (for example the part of an `Authorization` header
    /// after `Bearer `); see ``verify(_:)-(String)``.
    public func verify(_ token: Substring) throws(PortcullisError) -> NestedVerifiedToken {
        let limit = max(decrypter.configuration.maximumTokenSize, verifier.configuration.maximumTokenSize)
        guard token.utf8.count <= limit else {
            throw PortcullisError(.tokenTooLarge, "the token is \(token.utf8.count) bytes; the maximum is \(limit)")
        }
        return try verify(String(token))
    }

    /// `cty` compared case-insensitively, ignoring an `application/` prefix (RFC 7515 §4.1.10).
    private static func isJWT(_ value: String) -> Bool {
        let lowered = value.lowercased()
        return lowered == "jwt" || lowered == "application/jwt"
    }
}

/// A nested JWT whose outer JWE decrypted and whose inner JWS passed every verifier rule.
public struct NestedVerifiedToken: Sendable {
    /// The verified inner token (its header is the inner JWS header).
    public let token: VerifiedToken
    /// The outer JWE header; `nil` when the token was a plain JWS.
    public let encryptionHeader: JWEHeader?
}
