public import PortcullisJOSE
import PortcullisCrypto

/// One session cookie key: a 256-bit AES-GCM key and its id, carried in the cookie so that the
/// right key is found after a rotation.
public struct SessionKey: Sendable {
    /// The key id: 1–32 characters of `A–Z a–z 0–9 - _`.
    public let id: String
    let secret: [UInt8]

    /// A key from 32 secret bytes.
    /// - Throws: `invalid_key` for another length or an unusable id.
    public init(id: String, secret: [UInt8]) throws(PortcullisError) {
        guard secret.count == 32 else {
            throw PortcullisError(.invalidKey, "a session key is 32 bytes (AES-256-GCM), not \(secret.count)", keyID: id)
        }
        guard (1...32).contains(id.utf8.count), id.utf8.allSatisfy(SessionCookieCodec.isIDByte) else {
            throw PortcullisError(.invalidKey, "a session key id is 1–32 characters of A–Z a–z 0–9 - _", keyID: id)
        }
        self.id = id
        self.secret = secret
    }

    /// A fresh random key.
    public static func generate(id: String) throws(PortcullisError) -> SessionKey {
        try SessionKey(id: id, secret: try SecureRandom.bytes(32))
    }
}

/// Seals small payloads into cookie values with AES-256-GCM: confidential and authenticated, so a
/// cookie can be neither read nor changed nor forged without the key.
///
/// A value is `<key id>.<base64url(IV ‖ ciphertext ‖ tag)>` with a fresh random 96-bit IV per
/// cookie (NIST SP 800-38D §8.2.2; 2^32 cookies per key keep the IV-collision risk negligible:
/// rotate keys well before that). The associated data binds the format version, the cookie name
/// and the key id, so a value cannot be moved to another cookie. New values use the
/// ``current`` key; ``previous`` keys still open old ones, so a rotation logs nobody out.
public struct SessionCookieCodec: Sendable {
    /// The key that seals.
    public let current: SessionKey
    /// Keys that still open cookies sealed before a rotation.
    public let previous: [SessionKey]
    /// The cookie name (part of the associated data).
    public let cookieName: String
    /// The longest value accepted (RFC 6265 §6.1: browsers keep at least 4096 bytes per cookie).
    public static let maximumLength = 4_000

    private static let cipher = ContentCipher.aesGCM(keyByteCount: 32)

    /// A codec for cookie `cookieName`.
    /// - Throws: `invalid_key` when two keys share an id.
    public init(cookieName: String, current: SessionKey, previous: [SessionKey] = []) throws(PortcullisError) {
        let ids = [current.id] + previous.map(\.id)
        guard Set(ids).count == ids.count else {
            throw PortcullisError(.invalidKey, "two session keys share an id")
        }
        self.cookieName = cookieName
        self.current = current
        self.previous = previous
    }

    /// Seals `payload`.
    /// - Throws: `crypto_failure` when the backend fails; `request_too_large` when the value would
    ///   exceed ``maximumLength``.
    public func seal(_ payload: [UInt8]) throws(PortcullisError) -> String {
        let iv = try SecureRandom.bytes(Self.cipher.ivByteCount)
        let sealed = try Self.cipher.seal(key: current.secret, iv: iv, aad: aad(current.id), plaintext: payload)
        let value = current.id + "." + Base64URL.encode(iv + sealed.ciphertext + sealed.tag)
        guard value.utf8.count <= Self.maximumLength else {
            throw PortcullisError(.requestTooLarge, "the session cookie would be \(value.utf8.count) bytes, over \(Self.maximumLength)")
        }
        return value
    }

    /// Opens a value; `nil` unless it was sealed by one of the keys for this cookie name and not
    /// changed since (unknown key id, bad encoding, wrong tag: all alike).
    public func open(_ value: some StringProtocol) -> [UInt8]? {
        guard value.utf8.count <= Self.maximumLength else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let key = ([current] + previous).first(where: { $0.id == parts[0] }),
              let bytes = try? Base64URL.decode(parts[1]),
              bytes.count >= Self.cipher.ivByteCount + Self.cipher.tagByteCount
        else { return nil }
        let iv = Array(bytes.prefix(Self.cipher.ivByteCount))
        let tag = Array(bytes.suffix(Self.cipher.tagByteCount))
        let ciphertext = Array(bytes[Self.cipher.ivByteCount..<(bytes.count - Self.cipher.tagByteCount)])
        return (try? Self.cipher.open(key: key.secret, iv: iv, aad: aad(key.id), ciphertext: ciphertext, tag: tag)) ?? nil
    }

    private func aad(_ keyID: String) -> [UInt8] {
        Array("portcullis-session-v1|\(cookieName)|\(keyID)".utf8)
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
