import PortcullisJOSE
import PortcullisJWT

/// Requires that the user authenticated recently: `auth_time` (OIDC Core §2, seconds since the
/// epoch) no more than ``maxAge`` seconds before ``PolicyContext/now``, for sensitive actions
/// such as deploying or deleting a model.
///
/// A missing or non-numeric `auth_time` denies, as does an `auth_time` in the future beyond
/// ``leeway`` (a clock far ahead is not a recent login). The denial is `access_denied`; the
/// application answers it by sending the user to log in again (OIDC `max_age`/`prompt=login`).
public struct RequireRecentAuthentication: Policy {
    /// The longest accepted time since authentication, in seconds.
    public let maxAge: Double
    /// Tolerated clock skew for an `auth_time` slightly in the future, in seconds.
    public let leeway: Double
    /// `recency(<maxAge>s)`.
    public let name: String

    /// Requires `auth_time` within `maxAge` seconds of now (inclusive), with `leeway` for skew.
    public init(maxAge: Double, leeway: Double = 60) {
        self.maxAge = max(0, maxAge)
        self.leeway = max(0, leeway)
        self.name = "recency(\(Int(maxAge))s)"
    }

    /// Compares `auth_time` with the context's time.
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        guard case .number(let number)? = context.token["auth_time"] else {
            let found = context.token["auth_time"]
            return deny(
                found == nil ? "the token has no auth_time claim" : "auth_time is not a number",
                actual: found?.typeName ?? "(absent)")
        }
        let age = context.now.secondsSince1970 - number.doubleValue
        if age > maxAge {
            return deny("the user authenticated \(Int(age)) seconds ago; this action needs a login within \(Int(maxAge)) seconds", actual: "\(Int(age)) s ago")
        }
        if age < -leeway {
            return deny("auth_time is in the future", actual: number.text)
        }
        return .allow
    }

    private func deny(_ message: String, actual: String) -> PolicyDecision {
        .deny(Denial(
            .accessDenied, policy: name, message: message, claim: "auth_time",
            expected: "within \(Int(maxAge)) s", actual: actual))
    }
}
