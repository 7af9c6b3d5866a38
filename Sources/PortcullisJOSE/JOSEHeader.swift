/// The protected header of a JWS (RFC 7515 §4), read from its JSON object.
///
/// Parsing checks the JSON types of the parameters this library reads; it does not decide
/// whether the algorithm is acceptable (the verifier's allow-list does) and does not process
/// `crit` (call ``validateCritical(understood:)``).
///
/// - Warning: `jku`, `x5u`, `jwk`, `x5c`, `x5t` and `x5t#S256` are exposed for inspection only.
///   Keys named or embedded by the token itself must never be fetched or trusted (RFC 8725 §3.10).
public struct JOSEHeader: Sendable, Hashable {
    /// The header as read, every member included.
    public let json: JSONObject
    /// `alg` (RFC 7515 §4.1.1): required, a string.
    public let algorithm: String
    /// `typ` (RFC 7515 §4.1.9).
    public let type: String?
    /// `cty` (RFC 7515 §4.1.10).
    public let contentType: String?
    /// `kid` (RFC 7515 §4.1.4).
    public let keyID: String?
    /// `crit` (RFC 7515 §4.1.11) as read: an array of strings when present. Its rules are checked
    /// by ``validateCritical(understood:)``.
    public let critical: [String]?
    /// `b64` (RFC 7797 §3); `true` when absent.
    public let base64URLEncodePayload: Bool

    /// The JWS header parameter names registered by RFC 7515 §4.1, which `crit` must not list.
    public static let registeredNames: Set<String> = [
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
    ]

    /// Reads a header from its JSON object.
    /// - Throws: `malformed` when `alg` is missing or not a string, or when `typ`, `cty`, `kid`
    ///   are not strings, `crit` is not an array of strings, or `b64` is not a Boolean.
    public init(json: JSONObject) throws(PortcullisError) {
        self.json = json
        var algorithm: String?
        var type: String?, contentType: String?, keyID: String?
        var critical: [String]?
        var b64 = true
        for member in json.members {
            switch member.name {
            case "alg": algorithm = try Self.string(member)
            case "typ": type = try Self.string(member)
            case "cty": contentType = try Self.string(member)
            case "kid": keyID = try Self.string(member)
            case "crit":
                guard case .array(let elements) = member.value else { throw Self.wrongType(member, "an array of strings") }
                var names: [String] = []
                names.reserveCapacity(elements.count)
                for element in elements {
                    guard case .string(let name) = element else { throw Self.wrongType(member, "an array of strings") }
                    names.append(name)
                }
                critical = names
            case "b64":
                guard case .bool(let flag) = member.value else { throw Self.wrongType(member, "a boolean") }
                b64 = flag
            default: break
            }
        }
        guard let algorithm else {
            throw PortcullisError(.malformed, "the JOSE header has no \"alg\" parameter (RFC 7515 §4.1.1)", claim: "alg")
        }
        self.algorithm = algorithm
        self.type = type
        self.contentType = contentType
        self.keyID = keyID
        self.critical = critical
        self.base64URLEncodePayload = b64
    }

    private static func string(_ member: JSONObject.Member) throws(PortcullisError) -> String {
        guard case .string(let value) = member.value else { throw wrongType(member, "a string") }
        return value
    }

    private static func wrongType(_ member: JSONObject.Member, _ expected: String) -> PortcullisError {
        PortcullisError(
            .malformed, "the JOSE header parameter \"\(member.name)\" must be \(expected), not \(member.value.typeName)",
            claim: member.name, expected: expected, actual: member.value.typeName)
    }

    // MARK: Dangerous parameters (inspection only)

    /// `jku` (RFC 7515 §4.1.2), when it is a string. Never fetched.
    public var jwkSetURL: String? { json["jku"]?.stringValue }
    /// `x5u` (RFC 7515 §4.1.5), when it is a string. Never fetched.
    public var x509URL: String? { json["x5u"]?.stringValue }
    /// `jwk` (RFC 7515 §4.1.3) as read. Never trusted.
    public var embeddedJWK: JSONValue? { json["jwk"] }
    /// `x5c` (RFC 7515 §4.1.6) as read. Never trusted.
    public var x509CertificateChain: JSONValue? { json["x5c"] }
    /// `x5t` (RFC 7515 §4.1.7) as read.
    public var x509SHA1Thumbprint: JSONValue? { json["x5t"] }
    /// `x5t#S256` (RFC 7515 §4.1.8) as read.
    public var x509SHA256Thumbprint: JSONValue? { json["x5t#S256"] }

    /// The names of the key-locating parameters present (`jku`, `x5u`, `jwk`, `x5c`, `x5t`,
    /// `x5t#S256`), in that order, for warnings in inspection tools.
    public var riskyParameters: [String] {
        ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256"].filter { json[$0] != nil }
    }
}
