public import PortcullisJOSE

/// The protected header of a compact JWE (RFC 7516 §4, RFC 7518 §4.6.1, §4.7.1, §4.8.1).
///
/// Parsing checks the JSON types of every parameter this library reads; whether the algorithms
/// are acceptable is the decrypter's decision. `jku`, `jwk`, `x5u` and `x5c` are never followed.
public struct JWEHeader: Sendable {
    /// The header as a JOSE header (`alg`, `kid`, `typ`, `cty`, `crit` and the raw JSON).
    public let jose: JOSEHeader
    /// `enc` (RFC 7516 §4.1.2): required, a string.
    public let encryption: String
    /// `zip` (RFC 7516 §4.1.3); only `"DEF"` is defined.
    public let compression: String?
    /// `epk` (RFC 7518 §4.6.1.1) as a JWK, for ECDH-ES.
    public let ephemeralPublicKey: JWK?
    /// `apu` (RFC 7518 §4.6.1.2), decoded.
    public let agreementPartyUInfo: [UInt8]?
    /// `apv` (RFC 7518 §4.6.1.3), decoded.
    public let agreementPartyVInfo: [UInt8]?
    /// `iv` (RFC 7518 §4.7.1.1), decoded, for AES-GCM key wrap.
    public let keyWrapIV: [UInt8]?
    /// `tag` (RFC 7518 §4.7.1.2), decoded, for AES-GCM key wrap.
    public let keyWrapTag: [UInt8]?
    /// `p2s` (RFC 7518 §4.8.1.1), decoded.
    public let pbes2Salt: [UInt8]?
    /// `p2c` (RFC 7518 §4.8.1.2): a positive integer.
    public let pbes2Count: Int?

    /// The whole header as read.
    public var json: JSONObject { jose.json }
    /// `alg`.
    public var algorithm: String { jose.algorithm }
    /// `kid`.
    public var keyID: String? { jose.keyID }
    /// `cty`; `"JWT"` for a nested JWT (RFC 7519 §5.2).
    public var contentType: String? { jose.contentType }
    /// `typ`.
    public var type: String? { jose.type }

    /// The header parameter names registered for JWE (RFC 7516 §4.1, RFC 7518 §4.6–4.8), which
    /// `crit` must not list.
    public static let registeredNames: Set<String> = JOSEHeader.registeredNames.union([
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    ])

    /// Reads a JWE header from its JSON object.
    /// - Throws: `malformed` when `alg` or `enc` is missing or any parameter has the wrong type
    ///   (a string for `zip`, an object for `epk`, base64url strings for `apu`, `apv`, `iv`,
    ///   `tag`, `p2s`, a positive integer for `p2c`).
    public init(json: JSONObject) throws(PortcullisError) {
        jose = try JOSEHeader(json: json)
        guard let enc = json["enc"] else {
            throw PortcullisError(.malformed, "the JWE header has no \"enc\" parameter (RFC 7516 §4.1.2)", claim: "enc")
        }
        encryption = try Self.string(enc, "enc")
        compression = try json["zip"].map { value throws(PortcullisError) in try Self.string(value, "zip") }
        if let epk = json["epk"] {
            guard case .object(let object) = epk else { throw Self.wrongType("epk", "a JSON object (a JWK)") }
            do {
                ephemeralPublicKey = try JWK(json: object)
            } catch {
                throw PortcullisError(.malformed, "the \"epk\" header parameter is not a valid JWK: \(error.message)", claim: "epk")
            }
        } else {
            ephemeralPublicKey = nil
        }
        agreementPartyUInfo = try Self.bytes(json, "apu")
        agreementPartyVInfo = try Self.bytes(json, "apv")
        keyWrapIV = try Self.bytes(json, "iv")
        keyWrapTag = try Self.bytes(json, "tag")
        pbes2Salt = try Self.bytes(json, "p2s")
        if let p2c = json["p2c"] {
            guard case .number(let number) = p2c, let value = number.int64Value, value > 0, value <= Int64(Int32.max) else {
                throw Self.wrongType("p2c", "a positive integer")
            }
            pbes2Count = Int(value)
        } else {
            pbes2Count = nil
        }
    }

    /// Applies the rules of `crit` (RFC 7516 §4.1.13, RFC 7515 §4.1.11), with the JWE header
    /// names counted as registered.
    /// - Throws: `unsupported_critical_header`.
    public func validateCritical(understood: Set<String>) throws(PortcullisError) {
        if let critical = jose.critical, let registered = critical.first(where: Self.registeredNames.contains) {
            throw PortcullisError(
                .unsupportedCriticalHeader,
                "\"crit\" lists \"\(registered)\", a registered header parameter, which it must not (RFC 7515 §4.1.11)",
                claim: registered)
        }
        try jose.validateCritical(understood: understood)
    }

    private static func string(_ value: JSONValue, _ name: String) throws(PortcullisError) -> String {
        guard case .string(let text) = value else { throw wrongType(name, "a string") }
        return text
    }

    private static func bytes(_ json: JSONObject, _ name: String) throws(PortcullisError) -> [UInt8]? {
        guard let value = json[name] else { return nil }
        let text = try string(value, name)
        do {
            return try Base64URL.decode(text)
        } catch {
            throw PortcullisError(.malformed, "the \"\(name)\" header parameter: \(error.message)", claim: name)
        }
    }

    private static func wrongType(_ name: String, _ expected: String) -> PortcullisError {
        PortcullisError(.malformed, "the JWE header parameter \"\(name)\" must be \(expected)", claim: name, expected: expected)
    }
}
