public import PortcullisJOSE

/// A scope with placeholders filled from the request, such as `dataset:read:{resource.tenant}`.
///
/// Placeholders: `{resource.tenant}`, `{resource.id}`, `{resource.<attribute>}` (an entry of
/// ``ResourceAttributes/attributes``) and `{request.model}`. Anything else is refused when the
/// template is built, as are unbalanced braces and characters a scope token may not contain
/// (RFC 6749 §3.3: `%x21 / %x23-5B / %x5D-7E`).
///
/// Every value substituted at request time must be an identifier (``isIdentifier(_:)``: 1 to 128
/// of `A-Z a-z 0-9 . _ -`), so a resource attribute can never smuggle `*`, a space or a second
/// scope into the expanded scope.
public struct ScopeTemplate: Sendable, Hashable, CustomStringConvertible {
    /// A value taken from the request.
    public enum Placeholder: Sendable, Hashable, CustomStringConvertible {
        /// `{resource.tenant}`
        case resourceTenant
        /// `{resource.id}`
        case resourceID
        /// `{resource.<name>}`
        case resourceAttribute(String)
        /// `{request.model}`
        case requestModel

        /// The placeholder as written, with braces.
        public var description: String {
            switch self {
            case .resourceTenant: "{resource.tenant}"
            case .resourceID: "{resource.id}"
            case .resourceAttribute(let name): "{resource.\(name)}"
            case .requestModel: "{request.model}"
            }
        }

        /// The value in `request`, or `nil` when the request has none.
        public func value(in request: RequestAttributes) -> String? {
            switch self {
            case .resourceTenant: request.resource.tenant
            case .resourceID: request.resource.id
            case .resourceAttribute(let name): request.resource.attributes[name]
            case .requestModel: request.model
            }
        }
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// The longest template accepted, in bytes.
    public static let maximumLength = 512

    /// The template as written.
    public let template: String
    let parts: [Part]

    /// Parses `template`.
    /// - Throws: `malformed` for an unknown placeholder, unbalanced braces, an empty or overlong
    ///   template, or a character that cannot appear in a scope.
    public init(_ template: String) throws(PortcullisError) {
        guard !template.isEmpty, template.utf8.count <= Self.maximumLength else {
            throw Self.error(template, "must have 1 to \(Self.maximumLength) bytes")
        }
        var parts: [Part] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{" else { throw Self.error(template, "has a \"}\" without a \"{\"") }
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "{" || $0 == "}" }), rest[close] == "}" else {
                throw Self.error(template, "has a \"{\" without a matching \"}\"")
            }
            parts.append(.placeholder(try Self.placeholder(String(rest[afterOpen..<close]), in: template)))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        for case .literal(let literal) in parts {
            // RFC 6749 §3.3: scope-token = 1*NQCHAR; NQCHAR = %x21 / %x23-5B / %x5D-7E.
            guard literal.utf8.allSatisfy({ $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }) else {
                throw Self.error(template, "contains a character that a scope cannot contain (RFC 6749 §3.3)")
            }
        }
        self.template = template
        self.parts = parts
    }

    private static func placeholder(_ name: String, in template: String) throws(PortcullisError) -> Placeholder {
        switch name {
        case "resource.tenant": return .resourceTenant
        case "resource.id": return .resourceID
        case "request.model": return .requestModel
        default:
            let attribute = name.hasPrefix("resource.") ? String(name.dropFirst("resource.".count)) : ""
            guard !attribute.isEmpty, attribute.utf8.allSatisfy({ isIdentifierByte($0) && $0 != 0x2E }) else {
                throw error(
                    template, "has the unknown placeholder {\(name)}; use {resource.tenant}, {resource.id}, "
                        + "{resource.<attribute>} or {request.model}")
            }
            return .resourceAttribute(attribute)
        }
    }

    private static func error(_ template: String, _ problem: String) -> PortcullisError {
        PortcullisError(.malformed, "the scope template \"\(template)\" \(problem)")
    }

    /// The placeholders, in order.
    public var placeholders: [Placeholder] {
        parts.compactMap { if case .placeholder(let placeholder) = $0 { placeholder } else { nil } }
    }

    /// The template as written.
    public var description: String { template }

    /// Why a template could not be expanded for a request.
    public struct ExpansionFailure: Error, Sendable, Hashable {
        /// The placeholder whose value was missing or not an identifier.
        public let placeholder: Placeholder
        /// The value found (`nil` when missing).
        public let value: String?
    }

    /// Fills the placeholders from `request`.
    /// - Returns: the scope, or the first placeholder whose value is missing or not an identifier.
    public func expand(_ request: RequestAttributes) -> Result<String, ExpansionFailure> {
        var scope = ""
        scope.reserveCapacity(template.utf8.count + 32)
        for part in parts {
            switch part {
            case .literal(let literal):
                scope += literal
            case .placeholder(let placeholder):
                let value = placeholder.value(in: request)
                guard let value, Self.isIdentifier(value) else {
                    return .failure(ExpansionFailure(placeholder: placeholder, value: value))
                }
                scope += value
            }
        }
        return .success(scope)
    }

    /// `true` for 1 to 128 bytes of `A-Z a-z 0-9 . _ -`: the only values substituted into scopes
    /// and the only tenant identifiers tenant alignment accepts.
    public static func isIdentifier(_ value: String) -> Bool {
        var count = 0
        for byte in value.utf8 {
            guard isIdentifierByte(byte) else { return false }
            count += 1
        }
        return count >= 1 && count <= 128
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
