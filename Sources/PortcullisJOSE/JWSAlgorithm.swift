/// A JWS signature algorithm (RFC 7518 §3, RFC 8037 §3.1).
///
/// A value type with one static member per algorithm this library implements. `none` is not one
/// of them and can never be constructed: ``init(name:)`` returns `nil` for it in any casing.
///
/// - Warning: Always verify with an explicit allow-list of algorithms. The token's `alg` header is
///   attacker-controlled (RFC 8725 §2.1, §3.1).
public struct JWSAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// The algorithm family, which decides the key type an algorithm needs.
    public enum Family: Sendable, Hashable {
        /// HMAC with SHA-2 (RFC 7518 §3.2): `oct` keys at least as long as the hash output.
        case hmac
        /// RSASSA-PKCS1-v1_5 (RFC 7518 §3.3): RSA keys of at least 2048 bits.
        case rsaPKCS1
        /// RSASSA-PSS with MGF1 and a salt as long as the hash (RFC 7518 §3.5).
        case rsaPSS
        /// ECDSA with a fixed curve, signature as raw `r‖s` (RFC 7518 §3.4).
        case ecdsa
        /// EdDSA over Ed25519 or Ed448 (RFC 8037 §3.1).
        case eddsa
    }

    /// A SHA-2 digest.
    public enum Digest: Sendable, Hashable {
        /// SHA-256.
        case sha256
        /// SHA-384.
        case sha384
        /// SHA-512.
        case sha512

        /// The output size in bytes.
        public var byteCount: Int {
            switch self {
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    /// The registered name, for example `"RS256"` (the `alg` header value).
    public let name: String
    /// The family.
    public let family: Family
    /// The digest, or `nil` for EdDSA (which hashes internally).
    public let digest: Digest?
    /// The curve an ECDSA algorithm is bound to (`P-256`, `P-384`, `P-521`); `nil` otherwise.
    public let curve: JWKCurve?

    private init(_ name: String, _ family: Family, _ digest: Digest?, curve: JWKCurve? = nil) {
        self.name = name
        self.family = family
        self.digest = digest
        self.curve = curve
    }

    /// Looks up an algorithm by its exact, case-sensitive registered name (RFC 7515 §4.1.1: "a
    /// case-sensitive ASCII string"). Returns `nil` for unknown names and for `none`.
    public init?(name: String) {
        switch name {
        case "HS256": self = .hs256
        case "HS384": self = .hs384
        case "HS512": self = .hs512
        case "RS256": self = .rs256
        case "RS384": self = .rs384
        case "RS512": self = .rs512
        case "PS256": self = .ps256
        case "PS384": self = .ps384
        case "PS512": self = .ps512
        case "ES256": self = .es256
        case "ES384": self = .es384
        case "ES512": self = .es512
        case "EdDSA": self = .eddsa
        default: return nil
        }
    }

    /// `true` for any casing of `none`, the unsecured JWS algorithm (RFC 7518 §3.6), which
    /// Portcullis never accepts.
    public static func isNone(_ name: String) -> Bool { name.lowercased() == "none" }

    /// The registered name.
    public var description: String { name }

    /// HMAC using SHA-256.
    public static let hs256 = JWSAlgorithm("HS256", .hmac, .sha256)
    /// HMAC using SHA-384.
    public static let hs384 = JWSAlgorithm("HS384", .hmac, .sha384)
    /// HMAC using SHA-512.
    public static let hs512 = JWSAlgorithm("HS512", .hmac, .sha512)
    /// RSASSA-PKCS1-v1_5 using SHA-256.
    public static let rs256 = JWSAlgorithm("RS256", .rsaPKCS1, .sha256)
    /// RSASSA-PKCS1-v1_5 using SHA-384.
    public static let rs384 = JWSAlgorithm("RS384", .rsaPKCS1, .sha384)
    /// RSASSA-PKCS1-v1_5 using SHA-512.
    public static let rs512 = JWSAlgorithm("RS512", .rsaPKCS1, .sha512)
    /// RSASSA-PSS using SHA-256 and MGF1 with SHA-256.
    public static let ps256 = JWSAlgorithm("PS256", .rsaPSS, .sha256)
    /// RSASSA-PSS using SHA-384 and MGF1 with SHA-384.
    public static let ps384 = JWSAlgorithm("PS384", .rsaPSS, .sha384)
    /// RSASSA-PSS using SHA-512 and MGF1 with SHA-512.
    public static let ps512 = JWSAlgorithm("PS512", .rsaPSS, .sha512)
    /// ECDSA using P-256 and SHA-256.
    public static let es256 = JWSAlgorithm("ES256", .ecdsa, .sha256, curve: .p256)
    /// ECDSA using P-384 and SHA-384.
    public static let es384 = JWSAlgorithm("ES384", .ecdsa, .sha384, curve: .p384)
    /// ECDSA using P-521 and SHA-512.
    public static let es512 = JWSAlgorithm("ES512", .ecdsa, .sha512, curve: .p521)
    /// EdDSA (Ed25519 or Ed448, chosen by the key), RFC 8037.
    public static let eddsa = JWSAlgorithm("EdDSA", .eddsa, nil)

    /// Every algorithm this library implements, in a stable order.
    public static let all: [JWSAlgorithm] = [
        .hs256, .hs384, .hs512, .rs256, .rs384, .rs512, .ps256, .ps384, .ps512,
        .es256, .es384, .es512, .eddsa,
    ]

    /// Equality by name.
    public static func == (lhs: JWSAlgorithm, rhs: JWSAlgorithm) -> Bool { lhs.name == rhs.name }
    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A named elliptic curve used by JWK `crv` (RFC 7518 §6.2.1.1, RFC 8037 §2).
public struct JWKCurve: Sendable, Hashable, CustomStringConvertible {
    /// The registered `crv` value.
    public let name: String
    /// The size of one coordinate (EC) or of the public key (OKP), in bytes.
    public let coordinateByteCount: Int
    /// `true` for the OKP curves of RFC 8037, `false` for the NIST curves of RFC 7518.
    public let isOctetKeyPair: Bool

    private init(_ name: String, _ size: Int, okp: Bool) {
        self.name = name
        self.coordinateByteCount = size
        self.isOctetKeyPair = okp
    }

    /// Looks up a curve by its exact registered name; `nil` for curves this library does not know.
    public init?(name: String) {
        switch name {
        case "P-256": self = .p256
        case "P-384": self = .p384
        case "P-521": self = .p521
        case "Ed25519": self = .ed25519
        case "Ed448": self = .ed448
        default: return nil
        }
    }

    /// The registered name.
    public var description: String { name }

    /// NIST P-256 (secp256r1).
    public static let p256 = JWKCurve("P-256", 32, okp: false)
    /// NIST P-384 (secp384r1).
    public static let p384 = JWKCurve("P-384", 48, okp: false)
    /// NIST P-521 (secp521r1).
    public static let p521 = JWKCurve("P-521", 66, okp: false)
    /// Ed25519 (RFC 8037).
    public static let ed25519 = JWKCurve("Ed25519", 32, okp: true)
    /// Ed448 (RFC 8037).
    public static let ed448 = JWKCurve("Ed448", 57, okp: true)

    /// Equality by name.
    public static func == (lhs: JWKCurve, rhs: JWKCurve) -> Bool { lhs.name == rhs.name }
    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
