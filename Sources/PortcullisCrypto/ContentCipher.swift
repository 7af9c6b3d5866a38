package import PortcullisJOSE

/// The JWE content encryption schemes (RFC 7518 §5), as authenticated encryption with
/// associated data: AES-GCM, and AES-CBC with HMAC-SHA-2 in encrypt-then-MAC composition.
package enum ContentCipher: Sendable, Hashable {
    /// AES-GCM with a key of `keyByteCount` bytes (16, 24, 32), 96-bit IV, 128-bit tag (§5.3).
    case aesGCM(keyByteCount: Int)
    /// AES_CBC_HMAC_SHA2 (§5.2): the key is `MAC_KEY ‖ ENC_KEY`, each half of the key; the tag is
    /// the first half of the HMAC output.
    case aesCBCHMAC(digest: JWSAlgorithm.Digest)

    /// The content encryption key length in bytes.
    package var keyByteCount: Int {
        switch self {
        case .aesGCM(let count): count
        case .aesCBCHMAC(let digest): digest.byteCount // 32, 48, 64 (§5.2.3–5.2.5)
        }
    }

    /// The IV length in bytes.
    package var ivByteCount: Int {
        switch self {
        case .aesGCM: 12
        case .aesCBCHMAC: 16
        }
    }

    /// The tag length in bytes.
    package var tagByteCount: Int {
        switch self {
        case .aesGCM: 16
        case .aesCBCHMAC(let digest): digest.byteCount / 2
        }
    }

    /// Encrypts `plaintext` under `key` and `iv`, authenticating `aad` too.
    package func seal(
        key: [UInt8], iv: [UInt8], aad: [UInt8], plaintext: [UInt8]
    ) throws(PortcullisError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == keyByteCount, iv.count == ivByteCount else {
            throw PortcullisError(.invalidKey, "the content encryption key or IV has the wrong length")
        }
        switch self {
        case .aesGCM:
            return try AES.gcmSeal(key: key, iv: iv, aad: aad, plaintext: plaintext)
        case .aesCBCHMAC(let digest):
            let half = key.count / 2
            let ciphertext = try AES.cbcEncrypt(key: Array(key[half...]), iv: iv, plaintext: plaintext)
            let mac = try HMACBackend(secret: Array(key[..<half]))
                .authenticate(Self.macInput(aad: aad, iv: iv, ciphertext: ciphertext), digest: digest)
            return (ciphertext, Array(mac.prefix(tagByteCount)))
        }
    }

    /// Decrypts; `nil` unless the tag authenticates `aad`, `iv` and `ciphertext`. For CBC-HMAC the
    /// tag is compared in constant time and checked before any decryption (RFC 7518 §5.2.2.2),
    /// so a padding failure cannot be told from a tag failure.
    package func open(
        key: [UInt8], iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(PortcullisError) -> [UInt8]? {
        guard key.count == keyByteCount, iv.count == ivByteCount, tag.count == tagByteCount else { return nil }
        switch self {
        case .aesGCM:
            return try AES.gcmOpen(key: key, iv: iv, aad: aad, ciphertext: ciphertext, tag: tag)
        case .aesCBCHMAC(let digest):
            let half = key.count / 2
            let mac = try HMACBackend(secret: Array(key[..<half]))
                .authenticate(Self.macInput(aad: aad, iv: iv, ciphertext: ciphertext), digest: digest)
            guard ConstantTime.equals(mac.prefix(tagByteCount), tag) else { return nil }
            return try AES.cbcDecrypt(key: Array(key[half...]), iv: iv, ciphertext: ciphertext)
        }
    }

    /// `A ‖ IV ‖ E ‖ AL`, AL being the bit length of A as a 64-bit big-endian integer (§5.2.2.1).
    private static func macInput(aad: [UInt8], iv: [UInt8], ciphertext: [UInt8]) -> [UInt8] {
        var input = aad
        input.reserveCapacity(aad.count + iv.count + ciphertext.count + 8)
        input += iv
        input += ciphertext
        let bits = UInt64(aad.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { input.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        return input
    }
}

/// The Concat KDF of NIST SP 800-56A §5.8.1 with SHA-256, as ECDH-ES uses it (RFC 7518 §4.6.2).
package enum ConcatKDF {
    /// Derives `keyBitCount / 8` bytes from the shared secret `z`. `algorithmID` is the `enc`
    /// value (direct agreement) or the `alg` value (with key wrap); `partyUInfo` and
    /// `partyVInfo` are the decoded `apu` and `apv` (empty when absent).
    package static func derive(
        sharedSecret z: [UInt8], keyBitCount: Int, algorithmID: String, partyUInfo: [UInt8], partyVInfo: [UInt8]
    ) -> [UInt8] {
        var otherInfo = lengthPrefixed(Array(algorithmID.utf8))
        otherInfo += lengthPrefixed(partyUInfo)
        otherInfo += lengthPrefixed(partyVInfo)
        otherInfo += bigEndian32(UInt32(truncatingIfNeeded: keyBitCount)) // SuppPubInfo; SuppPrivInfo empty
        let byteCount = keyBitCount / 8
        var output: [UInt8] = []
        var counter: UInt32 = 1
        while output.count < byteCount {
            output += Digests.sha256(bigEndian32(counter) + z + otherInfo)
            counter += 1
        }
        return Array(output.prefix(byteCount))
    }

    private static func lengthPrefixed(_ data: [UInt8]) -> [UInt8] {
        bigEndian32(UInt32(truncatingIfNeeded: data.count)) + data
    }

    private static func bigEndian32(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
