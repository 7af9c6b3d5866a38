import Foundation
import PortcullisJOSE
import PortcullisJWT
import PortcullisPolicy
import PortcullisTesting

/// Shared fixtures: one issuer for the whole suite and helpers that build contexts.
enum Fixture {
    static let issuer = try! TestIssuer()

    /// A context for a token with `scopes` and `claims`, on `request`.
    static func context(
        subject: String = "user-1", scopes: [String] = [], claims: JSONObject = JSONObject(),
        request: RequestAttributes = RequestAttributes(), now: NumericDate? = nil
    ) throws -> PolicyContext {
        let token = try issuer.verifiedToken(subject: subject, scopes: scopes, extraClaims: claims)
        return PolicyContext(token: token, request: request, now: now ?? issuer.clock.date)
    }

    /// `Examples/policies/<name>`, from this file's location.
    static func examplePolicy(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/policies/\(name)")
    }

    /// `Tests/PortcullisPolicyTests/Support/<name>`.
    static func support(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/\(name)")
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}

/// What a decision boils down to for table comparisons.
struct Outcome: Equatable, CustomStringConvertible {
    var code: String?
    var requiredScopes: [String] = []

    init(_ decision: PolicyDecision) {
        code = decision.denial?.code.rawValue
        requiredScopes = decision.denial?.requiredScopes ?? []
    }

    init(code: String?, requiredScopes: [String] = []) {
        self.code = code
        self.requiredScopes = requiredScopes
    }

    static let allow = Outcome(code: nil)
    var description: String { code.map { "\($0) \(requiredScopes)" } ?? "allow" }
}
