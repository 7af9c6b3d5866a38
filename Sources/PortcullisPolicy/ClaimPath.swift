public import PortcullisJOSE

/// Where a claim lives in a claim set: a top-level name (`roles`), a dot path into nested objects
/// (`realm_access.roles`, as Keycloak issues them), or a namespaced URI claim
/// (`https://example.com/roles`, RFC 7519 §4.2 collision-resistant names) taken as one name.
public struct ClaimPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The member names, outermost first.
    public let segments: [String]

    /// A path from explicit member names (use this when a name itself contains dots).
    public init(segments: [String]) {
        self.segments = segments
    }

    /// Parses a path: a name containing `://` or starting with `urn:` is one segment (a URI
    /// claim name); anything else is split on `.`.
    public init(_ path: String) {
        if path.contains("://") || path.hasPrefix("urn:") {
            segments = [path]
        } else {
            segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Same as ``init(_:)``.
    public init(stringLiteral value: String) { self.init(value) }

    /// The path as written, segments joined with `.`.
    public var description: String { segments.joined(separator: ".") }

    /// The value at this path in `object`, or `nil` when a step is missing or not an object.
    public func value(in object: JSONObject) -> JSONValue? {
        guard let first = segments.first else { return nil }
        var current = object[first]
        for segment in segments.dropFirst() {
            guard case .object(let inner)? = current else { return nil }
            current = inner[segment]
        }
        return current
    }

    /// The strings at this path: a string is one value, an array of strings its elements, a
    /// space-separated string is *not* split (roles may contain spaces: "Data Scientist").
    /// `nil` when absent; non-string array elements are ignored.
    public func strings(in object: JSONObject) -> [String]? {
        switch value(in: object) {
        case .string(let string)?: [string]
        case .array(let elements)?: elements.compactMap(\.stringValue)
        default: nil
        }
    }
}
