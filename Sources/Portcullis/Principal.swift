public import HTTPTypes
public import PortcullisJWT
public import PortcullisPolicy

/// An authorized caller: the verified token, and what the route's checks found out about it.
public struct Principal: Sendable {
    /// The verified token.
    public let token: VerifiedToken
    /// The context the policy was evaluated in (scopes, request attributes, time).
    public let context: PolicyContext
    /// The name of the route requirement that allowed the request.
    public let route: String
    /// The rate-limit state after this request, when the route is limited.
    public let rateLimit: RateLimitStatus?
    /// The name of the limit applied (the tier name for tier limits), for `RateLimit-Policy`.
    public let rateLimitName: String?

    /// The token's `sub`.
    public var subject: String? { token.subject }
    /// The token's granted scopes.
    public var scopes: [String] { context.scopes }

    /// `RateLimit-Policy` and `RateLimit` header fields (draft-ietf-httpapi-ratelimit-headers) to
    /// add to the response; empty when the route is not limited.
    public var rateLimitFields: HTTPFields {
        guard let rateLimit, let rateLimitName else { return HTTPFields() }
        return RateLimitHeaders.fields(rateLimit, name: rateLimitName)
    }
}

/// Writes rate-limit state as `RateLimit-Policy: "<name>";q=<quota>;w=<window>` and
/// `RateLimit: "<name>";r=<remaining>;t=<seconds to reset>` (draft-ietf-httpapi-ratelimit-headers,
/// Structured Field syntax of RFC 9651).
public enum RateLimitHeaders {
    /// The `RateLimit-Policy` header name.
    public static let policyName = HTTPField.Name("RateLimit-Policy")!
    /// The `RateLimit` header name.
    public static let stateName = HTTPField.Name("RateLimit")!

    /// The header fields for `status` under the limit called `name`.
    public static func fields(_ status: RateLimitStatus, name: String) -> HTTPFields {
        let key = "\"" + name.filter { $0.isASCII && $0 != "\"" && $0 != "\\" } + "\""
        var fields = HTTPFields()
        fields[policyName] = "\(key);q=\(status.limit.requests);w=\(Int(status.limit.period.rounded(.up)))"
        fields[stateName] = "\(key);r=\(status.remaining);t=\(Int(status.resetAfter.rounded(.up)))"
        return fields
    }
}
