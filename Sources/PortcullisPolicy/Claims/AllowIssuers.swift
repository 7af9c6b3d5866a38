import PortcullisJOSE
import PortcullisJWT

/// Allows only tokens from the listed issuers (`iss`, RFC 7519 §4.1.1, compared exactly).
///
/// The verifier already pins the issuers it trusts; this policy narrows a route further, for
/// example to the company's own identity provider when several are trusted.
public struct AllowIssuers: Policy {
    /// The accepted issuers.
    public let issuers: [String]
    /// `issuers(<list>)`.
    public let name: String

    /// Accepts tokens whose `iss` is one of `issuers` (an empty list accepts none).
    public init(_ issuers: [String]) {
        self.issuers = issuers
        self.name = "issuers(\(issuers.joined(separator: " ")))"
    }

    /// Checks `iss`.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        if let issuer = context.token.issuer, issuers.contains(issuer) { return .allow }
        return .deny(Denial(
            .accessDenied, policy: name,
            message: context.token.issuer == nil ? "the token has no iss claim" : "tokens from this issuer may not use this route",
            claim: "iss", expected: "one of " + issuers.joined(separator: ", "), actual: context.token.issuer ?? "(absent)"))
    }
}
