public import PortcullisJOSE

/// Anything that turns a bearer token into a ``VerifiedToken``: the seam between the request
/// pipeline (middleware, token exchange) and where the keys come from.
///
/// ``JWTVerifier`` conforms with its static ``KeySet``. Verifiers whose keys are fetched and
/// refreshed over the network (OpenID Connect discovery, remote JWK Sets, several issuers)
/// conform too, which is why the requirement is `async`.
///
/// Conformers must keep every rule of ``JWTVerifier``: a failure is a ``PortcullisError`` with a
/// stable code, never a fallback to accepting the token.
public protocol TokenVerifying: Sendable {
    /// Verifies a compact token (without the `Bearer ` prefix).
    /// - Throws: `PortcullisError` naming the rule that failed.
    func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken
}

extension JWTVerifier: TokenVerifying {
    /// Verifies `token` with this verifier's static keys; see ``verify(_:)-(Substring)``.
    public func verifyToken(_ token: Substring) async throws(PortcullisError) -> VerifiedToken {
        try verify(token)
    }
}
