import PortcullisJOSE

/// A JWE key management algorithm (`alg`, RFC 7518 §4.1; RFC 8037 §3.2 for X25519).
///
/// `none` and unknown names cannot be constructed: ``init(name:)`` returns `nil`.
///
/// - Warning: `RSA1_5` (RSAES-PKCS1-v1_5, RFC 3218 padding oracles) and the `PBES2-*` password
///   algorithms (offline guessing; a large `p2c` is a denial of service) are ``isUnsafe``: they
///   are never in ``recommended`` and a decrypter accepts them only when its allow-list names
///   them.
public struct JWEAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// How the content encryption key (CEK) is determined.
    public enum Family: Sendable, Hashable {
        /// RSAES-PKCS1-v1_5 (§4.2).
        case rsaPKCS1
        /// RSAES-OAEP (§4.3), SHA-1 or SHA-256.
        case rsaOAEP
        /// AES Key Wrap (§4.4).
        case aesKeyWrap
        /// Direct use of a shared symmetric key as the CEK (§4.5).
        case direct
        /// ECDH-ES direct key agreement (§4.6).
        case ecdhES
        /// ECDH-ES with the agreed key wrapping the CEK with AES Key Wrap (§4.6).
        case ecdhESKeyWrap
        /// AES-GCM key encryption (§4.7).
        case aesGCMKeyWrap
        /// PBES2 password-based key wrap (§4.8).
        case pbes2
    }

    /// The registered name, for example `"RSA-OAEP-256"`.
    public let name: String
    /// The family.
    public let family: Family
    /// The key-encryption key length in bytes for the key-wrap families (16, 24, 32); `nil`
    /// for RSA, `dir` and `ECDH-ES`.
    public let keyWrapByteCount: Int?
    /// The digest of RSA-OAEP and PBES2 (SHA-1 for `RSA-OAEP` is represented as `nil`).
    let digest: JWSAlgorithm.Digest?

    private init(_ name: String, _ family: Family, wrap: Int? = nil, digest: JWSAlgorithm.Digest? = nil) {
        self.name = name
        self.family = family
        self.keyWrapByteCount = wrap
        self.digest = digest
    }

    /// Looks up an algorithm by its exact, case-sensitive registered name; `nil` otherwise.
    public init?(name: String) {
        guard let found = Self.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// `true` for `RSA1_5` and `PBES2-*`, which need an explicit opt-in.
    public var isUnsafe: Bool { family == .rsaPKCS1 || family == .pbes2 }

    /// The registered name.
    public var description: String { name }

    /// RSAES-PKCS1-v1_5. Unsafe: accepted only when named in the allow-list.
    public static let rsa1_5 = JWEAlgorithm("RSA1_5", .rsaPKCS1)
    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1 (the RFC 7518 default parameters).
    public static let rsaOAEP = JWEAlgorithm("RSA-OAEP", .rsaOAEP)
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256.
    public static let rsaOAEP256 = JWEAlgorithm("RSA-OAEP-256", .rsaOAEP, digest: .sha256)
    /// AES-128 Key Wrap.
    public static let a128KW = JWEAlgorithm("A128KW", .aesKeyWrap, wrap: 16)
    /// AES-192 Key Wrap.
    public static let a192KW = JWEAlgorithm("A192KW", .aesKeyWrap, wrap: 24)
    /// AES-256 Key Wrap.
    public static let a256KW = JWEAlgorithm("A256KW", .aesKeyWrap, wrap: 32)
    /// Direct encryption with a shared symmetric key.
    public static let direct = JWEAlgorithm("dir", .direct)
    /// ECDH-ES direct key agreement (Concat KDF).
    public static let ecdhES = JWEAlgorithm("ECDH-ES", .ecdhES)
    /// ECDH-ES with AES-128 Key Wrap.
    public static let ecdhESA128KW = JWEAlgorithm("ECDH-ES+A128KW", .ecdhESKeyWrap, wrap: 16)
    /// ECDH-ES with AES-192 Key Wrap.
    public static let ecdhESA192KW = JWEAlgorithm("ECDH-ES+A192KW", .ecdhESKeyWrap, wrap: 24)
    /// ECDH-ES with AES-256 Key Wrap.
    public static let ecdhESA256KW = JWEAlgorithm("ECDH-ES+A256KW", .ecdhESKeyWrap, wrap: 32)
    /// AES-128-GCM key encryption.
    public static let a128GCMKW = JWEAlgorithm("A128GCMKW", .aesGCMKeyWrap, wrap: 16)
    /// AES-192-GCM key encryption.
    public static let a192GCMKW = JWEAlgorithm("A192GCMKW", .aesGCMKeyWrap, wrap: 24)
    /// AES-256-GCM key encryption.
    public static let a256GCMKW = JWEAlgorithm("A256GCMKW", .aesGCMKeyWrap, wrap: 32)
    /// PBES2 with HMAC-SHA-256 and A128KW. Unsafe: accepted only when named in the allow-list.
    public static let pbes2HS256A128KW = JWEAlgorithm("PBES2-HS256+A128KW", .pbes2, wrap: 16, digest: .sha256)
    /// PBES2 with HMAC-SHA-384 and A192KW. Unsafe: accepted only when named in the allow-list.
    public static let pbes2HS384A192KW = JWEAlgorithm("PBES2-HS384+A192KW", .pbes2, wrap: 24, digest: .sha384)
    /// PBES2 with HMAC-SHA-512 and A256KW. Unsafe: accepted only when named in the allow-list.
    public static let pbes2HS512A256KW = JWEAlgorithm("PBES2-HS512+A256KW", .pbes2, wrap: 32, digest: .sha512)

    /// Every key management algorithm this library implements, in a stable order.
    public static let all: [JWEAlgorithm] = [
        .rsa1_5, .rsaOAEP, .rsaOAEP256, .a128KW, .a192KW, .a256KW, .direct,
        .ecdhES, .ecdhESA128KW, .ecdhESA192KW, .ecdhESA256KW, .a128GCMKW, .a192GCMKW, .a256GCMKW,
        .pbes2HS256A128KW, .pbes2HS384A192KW, .pbes2HS512A256KW,
    ]

    /// Every algorithm except the unsafe ones: the default allow-list of a decrypter.
    public static let recommended: [JWEAlgorithm] = all.filter { !$0.isUnsafe }

    /// Equality by name.
    public static func == (lhs: JWEAlgorithm, rhs: JWEAlgorithm) -> Bool { lhs.name == rhs.name }
    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
