public import HTTPTypes
public import PortcullisJOSE

/// The one table that maps reason codes to HTTP statuses and RFC 6750 §3 challenges.
///
/// | codes | status | challenge |
/// |---|---|---|
/// | `missing_token` | 401 | `Bearer realm="…"` (no error: §3.1) |
/// | `invalid_request`, `request_too_large` (413) | 400 / 413 | `error="invalid_request"` |
/// | every token-validity code (`malformed`, `expired`, `invalid_signature`, `key_not_found`, `invalid_audience`, …) | 401 | `error="invalid_token", error_description="…"` |
/// | `insufficient_scope` | 403 | `error="insufficient_scope", scope="…"` |
/// | `access_denied` | 403 | none (not an RFC 6750 error: the token is fine, the permission is not) |
/// | `rate_limited`, `quota_exceeded` | 429 | none; `Retry-After` |
/// | `crypto_failure` | 500 | none |
/// | `fetch_failed` (the issuer's keys or metadata could not be fetched, and no cached keys remain) | 503 | none |
///
/// Codes this table does not know are treated as token failures (401 `invalid_token`): unknown
/// never means allowed.
public enum ResponseTable {
    /// How a reason code is answered.
    public struct Disposition: Sendable, Hashable {
        /// The HTTP status.
        public let status: HTTPResponse.Status
        /// The RFC 6750 `error` attribute, or `nil` for none.
        public let challengeError: String?
        /// Whether a `WWW-Authenticate` header is sent at all.
        public let challenges: Bool
    }

    /// The disposition of `code`.
    public static func disposition(for code: PortcullisError.Code) -> Disposition {
        switch code {
        case .missingToken: Disposition(status: .unauthorized, challengeError: nil, challenges: true)
        case .invalidRequest: Disposition(status: .badRequest, challengeError: "invalid_request", challenges: true)
        case .requestTooLarge: Disposition(status: .contentTooLarge, challengeError: nil, challenges: false)
        case .insufficientScope: Disposition(status: .forbidden, challengeError: "insufficient_scope", challenges: true)
        case .accessDenied: Disposition(status: .forbidden, challengeError: nil, challenges: false)
        case .rateLimited, .quotaExceeded: Disposition(status: .tooManyRequests, challengeError: nil, challenges: false)
        case .cryptoFailure: Disposition(status: .internalServerError, challengeError: nil, challenges: false)
        case .fetchFailed: Disposition(status: .serviceUnavailable, challengeError: nil, challenges: false)
        default: Disposition(status: .unauthorized, challengeError: "invalid_token", challenges: true)
        }
    }

    /// The `WWW-Authenticate` value for a disposition, or `nil` when none is sent.
    ///
    /// Attribute values are quoted strings limited to the characters RFC 6750 §3 allows
    /// (`%x20-21 / %x23-5B / %x5D-7E`): anything else in a description is replaced.
    public static func challenge(_ disposition: Disposition, realm: String, description: String, scopes: [String]) -> String? {
        guard disposition.challenges else { return nil }
        var value = "Bearer realm=\"\(quoted(realm))\""
        if let error = disposition.challengeError {
            value += ", error=\"\(error)\""
            value += ", error_description=\"\(quoted(description))\""
            if error == "insufficient_scope", !scopes.isEmpty {
                value += ", scope=\"\(quoted(scopes.joined(separator: " ")))\""
            }
        }
        return value
    }

    /// Replaces characters a quoted attribute may not hold (RFC 6750 §3) and caps the length.
    static func quoted(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(min(text.utf8.count, 256))
        for scalar in text.unicodeScalars.prefix(256) {
            switch scalar.value {
            case 0x22: result.append("'")
            case 0x5C: result.append("/")
            case 0x20...0x7E: result.unicodeScalars.append(scalar)
            default: result.append("?")
            }
        }
        return result
    }
}
