#if Hummingbird
import Hummingbird
public import PortcullisTokenExchange

/// The fields of an `application/x-www-form-urlencoded` post whose CSRF token matched the
/// session's (``CSRFMiddleware``): the body is read once, bounded, and handed to the handler in
/// ``PortcullisState/form``.
public struct VerifiedForm: Sendable {
    /// The decoded body (strict: `+` is a space, `%XX` a byte, the result UTF-8; at most
    /// ``FormBody/maximumFields`` fields; a field with an empty value counts as omitted, as in
    /// RFC 6749 §3.1). The CSRF field is included.
    public let body: FormBody

    /// Creates a form from a decoded body (``CSRFMiddleware`` makes them).
    public init(body: FormBody) {
        self.body = body
    }

    /// The first value of field `name`, or `nil` when it is absent or empty.
    public subscript(name: String) -> String? {
        body.values(name).first
    }

    /// Every value of field `name`, in order.
    public func values(named name: String) -> [String] {
        body.values(name)
    }
}

extension Request {
    /// The media type (before any `;` parameter, whitespace ignored, any casing) is
    /// `application/x-www-form-urlencoded`.
    var isURLEncodedForm: Bool {
        let mediaType = headers[.contentType]?.split(separator: ";", maxSplits: 1).first.map { String($0.filter { !$0.isWhitespace }) }
        return mediaType?.lowercased() == "application/x-www-form-urlencoded"
    }
}
#endif
