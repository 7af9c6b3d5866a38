package import PortcullisCrypto
import PortcullisJOSE

/// A JWE content encryption algorithm (`enc`, RFC 7518 §5.1).
public struct JWEEncryption: Sendable, Hashable, CustomStringConvertible {
    /// The registered name, for example `"A256GCM"`.
    public let name: String
    /// The scheme as the crypto layer runs it.
    package let cipher: ContentCipher

    private init(_ name: String, _ cipher: ContentCipher) {
        self.name = name
        self.cipher = cipher
    }

    /// Looks up an algorithm by its exact registered name; `nil` otherwise.
    public init?(name: String) {
        guard let found = Self.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// The content encryption key length in bytes (32, 48, 64 for CBC-HMAC; 16, 24, 32 for GCM).
    public var keyByteCount: Int { cipher.keyByteCount }

    /// The registered name.
    public var description: String { name }

    /// AES-128-CBC with HMAC-SHA-256, 128-bit tag (§5.2.3).
    public static let a128CBCHS256 = JWEEncryption("A128CBC-HS256", .aesCBCHMAC(digest: .sha256))
    /// AES-192-CBC with HMAC-SHA-384, 192-bit tag (§5.2.4).
    public static let a192CBCHS384 = JWEEncryption("A192CBC-HS384", .aesCBCHMAC(digest: .sha384))
    /// AES-256-CBC with HMAC-SHA-512, 256-bit tag (§5.2.5).
    public static let a256CBCHS512 = JWEEncryption("A256CBC-HS512", .aesCBCHMAC(digest: .sha512))
    /// AES-128-GCM (§5.3).
    public static let a128GCM = JWEEncryption("A128GCM", .aesGCM(keyByteCount: 16))
    /// AES-192-GCM (§5.3).
    public static let a192GCM = JWEEncryption("A192GCM", .aesGCM(keyByteCount: 24))
    /// AES-256-GCM (§5.3).
    public static let a256GCM = JWEEncryption("A256GCM", .aesGCM(keyByteCount: 32))

    /// Every content encryption algorithm this library implements.
    public static let all: [JWEEncryption] = [
        .a128CBCHS256, .a192CBCHS384, .a256CBCHS512, .a128GCM, .a192GCM, .a256GCM,
    ]

    /// Equality by name.
    public static func == (lhs: JWEEncryption, rhs: JWEEncryption) -> Bool { lhs.name == rhs.name }
    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
