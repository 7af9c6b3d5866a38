internal import CPortcullisOpenSSL
package import PortcullisJOSE

/// The AES ciphers JWE needs, fetched from the default provider once for the life of the process.
@safe
private final class FetchedCiphers: @unchecked Sendable {
    /// Indexed by ``AESMode`` and key size (16, 24, 32 bytes).
    private let table: [[OpaquePointer?]]

    init() {
        unsafe table = unsafe AESMode.allCases.map { mode in
            unsafe [128, 192, 256].map { bits in unsafe EVP_CIPHER_fetch(nil, mode.openSSLName(bits: bits), nil) }
        }
    }

    // Never freed: the instance lives as long as the process.

    func cipher(_ mode: AESMode, keyByteCount: Int) -> OpaquePointer? {
        let index: Int
        switch keyByteCount {
        case 16: index = 0
        case 24: index = 1
        case 32: index = 2
        default: return nil
        }
        return unsafe table[mode.rawValue][index]
    }
}

private let fetchedCiphers = FetchedCiphers()

/// The AES modes of operation used by JWE (RFC 7518 §4.4, §4.7, §5.2, §5.3).
enum AESMode: Int, CaseIterable {
    case gcm = 0, cbc, wrap

    func openSSLName(bits: Int) -> String {
        switch self {
        case .gcm: "AES-\(bits)-GCM"
        case .cbc: "AES-\(bits)-CBC"
        case .wrap: "AES-\(bits)-WRAP" // id-aes<bits>-wrap, RFC 3394 with the default IV
        }
    }
}

/// Owns one `EVP_CIPHER_CTX`, used for one operation.
@safe
private final class CipherContext: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(takingOwnershipOf pointer: OpaquePointer) {
        unsafe self.pointer = pointer
    }

    deinit {
        unsafe EVP_CIPHER_CTX_free(pointer)
    }

    /// A context initialised for `mode` with `key` (whose length must be the cipher's; checked
    /// here so OpenSSL never reads past the buffer) and `iv`.
    static func make(
        _ mode: AESMode, key: [UInt8], iv: [UInt8]?, encrypt: Bool
    ) throws(PortcullisError) -> CipherContext {
        guard let cipher = unsafe fetchedCiphers.cipher(mode, keyByteCount: key.count) else {
            throw PortcullisError(.invalidKey, "AES keys are 16, 24 or 32 bytes, not \(key.count)")
        }
        guard let pointer = unsafe EVP_CIPHER_CTX_new() else { throw .backend("EVP_CIPHER_CTX_new failed") }
        let context = unsafe CipherContext(takingOwnershipOf: pointer)
        if mode == .wrap {
            // OpenSSL refuses the key-wrap modes through EVP unless the caller opts in.
            unsafe EVP_CIPHER_CTX_set_flags(pointer, Int32(EVP_CIPHER_CTX_FLAG_WRAP_ALLOW))
        }
        let initialised: Int32
        if encrypt {
            initialised = unsafe EVP_EncryptInit_ex2(pointer, cipher, nil, nil, nil)
        } else {
            initialised = unsafe EVP_DecryptInit_ex2(pointer, cipher, nil, nil, nil)
        }
        guard initialised == 1 else { throw .backend("initialising \(mode) failed") }
        if mode == .gcm, let iv {
            guard unsafe EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_SET_IVLEN, Int32(iv.count), nil) == 1 else {
                throw .backend("setting the GCM IV length failed")
            }
        }
        if let iv, mode == .cbc, iv.count != 16 {
            throw PortcullisError(.malformed, "AES-CBC needs a 16-byte IV, not \(iv.count)")
        }
        let keyed: Int32 = unsafe key.withUnsafeBufferPointer { keyBuffer in
            unsafe (iv ?? []).withUnsafeBufferPointer { ivBuffer in
                let ivPointer = iv == nil ? nil : ivBuffer.baseAddress
                return encrypt
                    ? unsafe EVP_EncryptInit_ex2(pointer, nil, keyBuffer.baseAddress, ivPointer, nil)
                    : unsafe EVP_DecryptInit_ex2(pointer, nil, keyBuffer.baseAddress, ivPointer, nil)
            }
        }
        guard keyed == 1 else { throw .backend("keying \(mode) failed") }
        return context
    }

    /// Feeds additional authenticated data (GCM).
    func authenticate(_ aad: [UInt8], encrypt: Bool) -> Bool {
        guard !aad.isEmpty else { return true }
        var length: Int32 = 0
        return unsafe aad.withUnsafeBufferPointer { buffer in
            encrypt
                ? unsafe EVP_EncryptUpdate(pointer, nil, &length, buffer.baseAddress, Int32(buffer.count)) == 1
                : unsafe EVP_DecryptUpdate(pointer, nil, &length, buffer.baseAddress, Int32(buffer.count)) == 1
        }
    }

    /// Runs `input` through the cipher and finalises; `nil` when OpenSSL refuses (a padding or
    /// integrity failure on decryption). The output is never returned partially.
    func process(_ input: [UInt8], encrypt: Bool) -> [UInt8]? {
        guard input.count <= Int(Int32.max) - 64 else { return nil }
        var output = [UInt8](repeating: 0, count: input.count + 32)
        var written: Int32 = 0
        var finalLength: Int32 = 0
        let ok: Bool = unsafe output.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return false }
            if !input.isEmpty {
                let updated = unsafe input.withUnsafeBufferPointer { inBuffer in
                    encrypt
                        ? unsafe EVP_EncryptUpdate(pointer, base, &written, inBuffer.baseAddress, Int32(inBuffer.count))
                        : unsafe EVP_DecryptUpdate(pointer, base, &written, inBuffer.baseAddress, Int32(inBuffer.count))
                }
                guard updated == 1 else { return false }
            }
            let finished = encrypt
                ? unsafe EVP_EncryptFinal_ex(pointer, base + Int(written), &finalLength)
                : unsafe EVP_DecryptFinal_ex(pointer, base + Int(written), &finalLength)
            return finished == 1
        }
        guard ok else {
            // Wipe whatever was produced before the failure was detected.
            for index in output.indices { output[index] = 0 }
            OpenSSLErrorQueue.clear()
            return nil
        }
        return Array(output.prefix(Int(written + finalLength)))
    }

    /// Reads (`get`) or sets the 16-byte GCM tag.
    func gcmTag(set tag: [UInt8]? = nil) -> [UInt8]? {
        if var tag {
            let ok = unsafe EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_SET_TAG, Int32(tag.count), &tag) == 1
            return ok ? tag : nil
        }
        var output = [UInt8](repeating: 0, count: 16)
        guard unsafe EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_GET_TAG, 16, &output) == 1 else { return nil }
        return output
    }
}

/// AES as JWE uses it. Keys must be 16, 24 or 32 bytes (`invalid_key` otherwise). Failures that
/// input can cause on decryption (a wrong tag, bad padding, a failed key-unwrap integrity
/// check) return `nil` and never say why: the caller turns them into one uniform error.
package enum AES {
    /// AES-GCM encryption (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag (RFC 7518 §5.3).
    package static func gcmSeal(
        key: [UInt8], iv: [UInt8], aad: [UInt8], plaintext: [UInt8]
    ) throws(PortcullisError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard iv.count == 12 else { throw PortcullisError(.malformed, "AES-GCM needs a 96-bit IV (RFC 7518 §5.3)") }
        let context = try CipherContext.make(.gcm, key: key, iv: iv, encrypt: true)
        guard context.authenticate(aad, encrypt: true),
              let ciphertext = context.process(plaintext, encrypt: true),
              let tag = context.gcmTag()
        else { throw .backend("AES-GCM encryption failed") }
        return (ciphertext, tag)
    }

    /// AES-GCM decryption; `nil` unless the 128-bit `tag` authenticates `aad` and `ciphertext`.
    /// OpenSSL compares the tag in constant time; no plaintext is returned before it matched.
    package static func gcmOpen(
        key: [UInt8], iv: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) throws(PortcullisError) -> [UInt8]? {
        guard iv.count == 12, tag.count == 16 else { return nil }
        let context = try CipherContext.make(.gcm, key: key, iv: iv, encrypt: false)
        guard context.authenticate(aad, encrypt: false), context.gcmTag(set: tag) != nil else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return context.process(ciphertext, encrypt: false)
    }

    /// AES-CBC encryption with PKCS#7 padding (RFC 7518 §5.2.2.1 step 3).
    package static func cbcEncrypt(key: [UInt8], iv: [UInt8], plaintext: [UInt8]) throws(PortcullisError) -> [UInt8] {
        let context = try CipherContext.make(.cbc, key: key, iv: iv, encrypt: true)
        guard let ciphertext = context.process(plaintext, encrypt: true) else { throw .backend("AES-CBC encryption failed") }
        return ciphertext
    }

    /// AES-CBC decryption with PKCS#7 padding; `nil` for a bad length or bad padding. Call it only
    /// after the authentication tag has been verified (RFC 7518 §5.2.2.2), so the padding check
    /// cannot serve as an oracle.
    package static func cbcDecrypt(key: [UInt8], iv: [UInt8], ciphertext: [UInt8]) throws(PortcullisError) -> [UInt8]? {
        guard iv.count == 16, !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { return nil }
        let context = try CipherContext.make(.cbc, key: key, iv: iv, encrypt: false)
        return context.process(ciphertext, encrypt: false)
    }

    /// AES Key Wrap (RFC 3394 §2.2.1, the default IV; RFC 7518 §4.4) of `keyData`, a multiple of
    /// 8 bytes and at least 16.
    package static func wrap(kek: [UInt8], keyData: [UInt8]) throws(PortcullisError) -> [UInt8] {
        guard keyData.count >= 16, keyData.count % 8 == 0 else {
            throw PortcullisError(.malformed, "AES key wrap needs a multiple of 8 bytes, at least 16")
        }
        let context = try CipherContext.make(.wrap, key: kek, iv: nil, encrypt: true)
        guard let wrapped = context.process(keyData, encrypt: true), wrapped.count == keyData.count + 8 else {
            throw .backend("AES key wrap failed")
        }
        return wrapped
    }

    /// AES Key Unwrap (RFC 3394 §2.2.2, with its integrity check); `nil` when the check fails or
    /// the length is impossible.
    package static func unwrap(kek: [UInt8], wrapped: [UInt8]) throws(PortcullisError) -> [UInt8]? {
        guard wrapped.count >= 24, wrapped.count % 8 == 0 else { return nil }
        let context = try CipherContext.make(.wrap, key: kek, iv: nil, encrypt: false)
        guard let unwrapped = context.process(wrapped, encrypt: false), unwrapped.count == wrapped.count - 8 else {
            return nil
        }
        return unwrapped
    }
}
