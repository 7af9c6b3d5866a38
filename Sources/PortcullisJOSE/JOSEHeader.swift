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
    /// Why `crit` is not an array of strings, when it is not; reported by ``validateCritical(understood:)``.
    let criticalShapeError: String?

    /// The JWS header parameter names registered by RFC 7515 §4.1, which `crit` must not list.
    public static let registeredNames: Set<String> = [
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
    ]

    /// Reads a header from its JSON object.
    /// - Throws: `malformed` when `alg` is missing or not a string, or when `typ`, `cty`, `kid`
    ///   are not strings, or `b64` is not a Boolean. (A badly shaped `crit` is reported by
    ///   ``validateCritical(understood:)`` as `unsupported_critical_header`.)
    public init(json: JSONObject) throws(PortcullisError) {
        self.json = json
        var algorithm: String?
        var type: String?, contentType: String?, keyID: String?
        var critical: [String]?
        var criticalShapeError: String?
        var b64 = true
        for member in json.members {
            // Names match code unit by code unit (RFC 8259 §8.3), as bytes packed with their count.
            switch Self.packedName(member.name) {
            case 0x0300_0000_00616C67: algorithm = try Self.string(member) // alg
            case 0x0300_0000_00747970: type = try Self.string(member) // typ
            case 0x0300_0000_00637479: contentType = try Self.string(member) // cty
            case 0x0300_0000_006B6964: keyID = try Self.string(member) // kid
            case 0x0400_0000_63726974: // crit
                // A badly shaped `crit` is an unsupported critical header (reported by
                // validateCritical), not a parse failure: RFC 7515 §4.1.11 makes its shape part of
                // the critical-extension rules.
                guard case .array(let elements) = member.value else {
                    criticalShapeError = "\"crit\" must be an array of strings, not \(member.value.typeName)"
                    continue
                }
                var names: [String] = []
                names.reserveCapacity(elements.count)
                for element in elements {
                    guard case .string(let name) = element else {
                        criticalShapeError = "\"crit\" must hold only strings, not \(element.typeName)"
                        break
                    }
                    names.append(name)
                }
                critical = names
            case 0x0300_0000_00623634: // b64
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
        self.criticalShapeError = criticalShapeError
        self.base64URLEncodePayload = b64
    }

    /// The UTF-8 bytes of a name of at most 7 bytes packed big-endian, with the count in the top
    /// byte (so names differing only by leading NULs differ); 0 for longer names.
    private static func packedName(_ name: String) -> UInt64 {
        let utf8 = name.utf8.span
        let count = utf8.count
        guard count <= 7 else { return 0 }
        var packed: UInt64 = 0
        for index in 0..<count { packed = packed << 8 | UInt64(utf8[index]) }
        return UInt64(count) << 56 | packed
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
