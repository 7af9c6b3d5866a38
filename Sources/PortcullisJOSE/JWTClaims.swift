/// The claim set of a JWT (RFC 7519 §4) over its JSON object.
///
/// Typed accessors tell an absent claim (`nil`) from one of the wrong type, which throws
/// `invalid_claim` with ``PortcullisError/claim`` set. Validation (times, issuer, audience)
/// belongs to the verifier; these accessors only read.
public struct JWTClaims: Sendable, Hashable {
    /// The claim set as read.
    public let json: JSONObject

    /// Wraps a claim set.
    public init(json: JSONObject) {
        self.json = json
    }

    /// Reads a claim set from JSON bytes (a JSON object, RFC 7519 §7.2 step 10).
    public init(parsing bytes: [UInt8], limits: JSONLimits = .default) throws(PortcullisError) {
        self.json = try JSONReader.parseObject(bytes, limits: limits)
    }

    /// The value of claim `name`, of any type.
    public subscript(name: String) -> JSONValue? { json[name] }

    /// `iss` (RFC 7519 §4.1.1).
    public var issuer: String? { get throws(PortcullisError) { try string("iss") } }
    /// `sub` (RFC 7519 §4.1.2).
    public var subject: String? { get throws(PortcullisError) { try string("sub") } }
    /// `jti` (RFC 7519 §4.1.7).
    public var jwtID: String? { get throws(PortcullisError) { try string("jti") } }
    /// `client_id` (RFC 9068 §2.2, RFC 8693 §4.3).
    public var clientID: String? { get throws(PortcullisError) { try string("client_id") } }

    /// `aud` (RFC 7519 §4.1.3): a single string is one audience; an array must hold only
    /// strings. `nil` when absent.
    public var audience: [String]? {
        get throws(PortcullisError) { try Self.audience(json["aud"]) }
    }

    /// ``audience`` of a value found by other means (`nil`: absent).
    package static func audience(_ value: JSONValue?) throws(PortcullisError) -> [String]? {
        guard let value else { return nil }
        switch value {
        case .string(let audience): return [audience]
        case .array(let elements):
            var audiences: [String] = []
            audiences.reserveCapacity(elements.count)
            for element in elements {
                guard case .string(let audience) = element else {
                    throw Self.wrongType("aud", "a string or an array of strings", "an array containing \(element.typeName)")
                }
                audiences.append(audience)
            }
            return audiences
        default:
            throw Self.wrongType("aud", "a string or an array of strings", value.typeName)
        }
    }

    /// `exp` (RFC 7519 §4.1.4), a JSON number.
    public var expiration: NumericDate? { get throws(PortcullisError) { try date("exp") } }
    /// `nbf` (RFC 7519 §4.1.5), a JSON number.
    public var notBefore: NumericDate? { get throws(PortcullisError) { try date("nbf") } }
    /// `iat` (RFC 7519 §4.1.6), a JSON number.
    public var issuedAt: NumericDate? { get throws(PortcullisError) { try date("iat") } }

    /// The granted scopes: `scope`, a space-separated string (RFC 9068 §2.2.3, RFC 8693 §4.2),
    /// split on runs of spaces; or, only when `scope` is absent, `scp` as such a string or as an
    /// array of strings. Empty when neither is present.
    public var scopes: [String] {
        get throws(PortcullisError) {
            if let value = json["scope"] {
                guard case .string(let scope) = value else { throw Self.wrongType("scope", "a space-separated string", value.typeName) }
                return Self.split(scope)
            }
            guard let value = json["scp"] else { return [] }
            switch value {
            case .string(let scope): return Self.split(scope)
            case .array(let elements):
                var scopes: [String] = []
                for element in elements {
                    guard case .string(let scope) = element else {
                        throw Self.wrongType("scp", "a string or an array of strings", "an array containing \(element.typeName)")
                    }
                    scopes.append(scope)
                }
                return scopes
            default:
                throw Self.wrongType("scp", "a string or an array of strings", value.typeName)
            }
        }
    }

    /// Where the registered claims the verifier checks are in ``JSONObject/members`` (`nil`
    /// when absent), found in one pass. Convert their values with ``string(_:_:)``,
    /// ``audience(_:)`` and ``date(_:_:)``, which throw exactly what the accessors throw.
    package struct RegisteredIndices: Sendable {
        package var issuer: Int?
        package var subject: Int?
        package var audience: Int?
        package var jwtID: Int?
        package var expiration: Int?
        package var notBefore: Int?
        package var issuedAt: Int?
    }

    /// Finds `iss`, `sub`, `aud`, `jti`, `exp`, `nbf` and `iat` with one pass over the members.
    package func registeredIndices() -> RegisteredIndices {
        var found = RegisteredIndices()
        let members = json.members
        for index in members.indices {
            // Names match code unit by code unit (RFC 8259 §8.3); all of these have 3 bytes. The
            // first match wins, as with the subscript.
            let utf8 = members[index].name.utf8.span
            guard utf8.count == 3 else { continue }
            switch UInt32(utf8[0]) << 16 | UInt32(utf8[1]) << 8 | UInt32(utf8[2]) {
            case 0x697373: if found.issuer == nil { found.issuer = index }
            case 0x737562: if found.subject == nil { found.subject = index }
            case 0x617564: if found.audience == nil { found.audience = index }
            case 0x6A7469: if found.jwtID == nil { found.jwtID = index }
            case 0x657870: if found.expiration == nil { found.expiration = index }
            case 0x6E6266: if found.notBefore == nil { found.notBefore = index }
            case 0x696174: if found.issuedAt == nil { found.issuedAt = index }
            default: break
            }
        }
        return found
    }

    /// The value of the member at `index` of ``JSONObject/members``, or `nil` for `nil`.
    package func value(at index: Int?) -> JSONValue? {
        guard let index else { return nil }
        return json.members[index].value
    }

    /// The string claim `name`; `nil` when absent.
    /// - Throws: `invalid_claim` when present but not a string.
    public func string(_ name: String) throws(PortcullisError) -> String? {
        try Self.string(name, json[name])
    }

    /// ``string(_:)`` of a value found by other means (`nil`: absent).
    package static func string(_ name: String, _ value: JSONValue?) throws(PortcullisError) -> String? {
        guard let value else { return nil }
        guard case .string(let string) = value else { throw Self.wrongType(name, "a string", value.typeName) }
        return string
    }

    /// The NumericDate claim `name` (RFC 7519 §2); `nil` when absent.
    /// - Throws: `invalid_claim` when present but not a JSON number (a numeric string too).
    public func date(_ name: String) throws(PortcullisError) -> NumericDate? {
        try Self.date(name, json[name])
    }

    /// ``date(_:)`` of a value found by other means (`nil`: absent).
    package static func date(_ name: String, _ value: JSONValue?) throws(PortcullisError) -> NumericDate? {
        guard let value else { return nil }
        guard case .number(let number) = value else {
            throw Self.wrongType(name, "a NumericDate (a JSON number of seconds)", value.typeName)
        }
        return NumericDate(number.doubleValue)
    }

    /// Splits on runs of U+0020 (RFC 6749 §3.3: scope tokens are separated by spaces), working on
    /// UTF-8 code units rather than grapheme clusters.
    static func split(_ scope: String) -> [String] {
        var scopes: [String] = []
        let utf8 = scope.utf8
        var start: String.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: " ") {
                if let first = start {
                    scopes.append(String(scope[first..<index]))
                    start = nil
                }
            } else if start == nil {
                start = index
            }
            utf8.formIndex(after: &index)
        }
        if let first = start { scopes.append(String(scope[first...])) }
        return scopes
    }

    static func wrongType(_ claim: String, _ expected: String, _ actual: String) -> PortcullisError {
        PortcullisError(
            .invalidClaim, "the claim \"\(claim)\" must be \(expected), not \(actual)",
            claim: claim, expected: expected, actual: actual)
    }
}
