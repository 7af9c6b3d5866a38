internal import CPortcullisOpenSSL
package import PortcullisJOSE

/// An RSA encryption scheme for JWE key encryption (RFC 7518 §4.2, §4.3).
package enum RSAEncryptionPadding: Sendable {
    /// RSAES-PKCS1-v1_5 (RFC 8017 §7.2). Vulnerable to padding oracles (RFC 3218); `RSA1_5`.
    case pkcs1
    /// RSAES-OAEP with SHA-1 and MGF1 with SHA-1 (RFC 8017 §7.1); `RSA-OAEP`.
    case oaepSHA1
    /// RSAES-OAEP with SHA-256 and MGF1 with SHA-256; `RSA-OAEP-256`.
    case oaepSHA256
}

extension EVPKey {
    /// Sets padding and digests on an encryption or decryption `EVP_PKEY_CTX`.
    private static func configure(_ context: OpaquePointer, _ padding: RSAEncryptionPadding) -> Bool {
        switch padding {
        case .pkcs1:
            return unsafe EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
        case .oaepSHA1, .oaepSHA256:
            guard let md = unsafe EVP_get_digestbyname(padding == .oaepSHA1 ? "SHA1" : "SHA256") else { return false }
            return unsafe EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_oaep_md(context, md) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(context, md) == 1
        }
    }

    private func encryptionContext() throws(PortcullisError) -> KeyContext {
        guard let raw = unsafe EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw .backend("EVP_PKEY_CTX_new_from_pkey failed")
        }
        return unsafe KeyContext(takingOwnershipOf: raw)
    }

    /// RSA-encrypts `input` (a content encryption key) to this public key.
    func rsaEncrypt(_ input: [UInt8], padding: RSAEncryptionPadding) throws(PortcullisError) -> [UInt8] {
        let context = try encryptionContext()
        guard unsafe EVP_PKEY_encrypt_init(context.pointer) == 1, unsafe Self.configure(context.pointer, padding) else {
            throw .backend("initialising RSA encryption failed")
        }
        var length = 0
        guard unsafe EVP_PKEY_encrypt(context.pointer, nil, &length, input, input.count) == 1 else {
            throw .backend("RSA encryption failed")
        }
        var output = [UInt8](repeating: 0, count: length)
        guard unsafe EVP_PKEY_encrypt(context.pointer, &output, &length, input, input.count) == 1 else {
            throw .backend("RSA encryption failed")
        }
        return Array(output.prefix(length))
    }

    /// RSA-decrypts `input` with this private key; `nil` on any failure (the reason is not kept,
    /// so that it cannot leak). The OpenSSL error queue is cleared either way.
    func rsaDecrypt(_ input: [UInt8], padding: RSAEncryptionPadding) throws(PortcullisError) -> [UInt8]? {
        let context = try encryptionContext()
        guard unsafe EVP_PKEY_decrypt_init(context.pointer) == 1, unsafe Self.configure(context.pointer, padding) else {
            throw .backend("initialising RSA decryption failed")
        }
        // The output can never be longer than the modulus.
        var length = Int(unsafe EVP_PKEY_get_size(pointer))
        guard length > 0, !input.isEmpty else { return nil }
        var output = [UInt8](repeating: 0, count: length)
        let status = unsafe EVP_PKEY_decrypt(context.pointer, &output, &length, input, input.count)
        OpenSSLErrorQueue.clear()
        guard status == 1, length <= output.count else { return nil }
        return Array(output.prefix(length))
    }

    /// `EVP_PKEY_public_check_quick`: for EC, the point is on the curve and not the point at
    /// infinity, without the order check (a full scalar multiplication). On the prime-order NIST
    /// curves (cofactor 1) every such point has order n, so this is a complete validation.
    func passesQuickPublicCheck() throws(PortcullisError) -> Bool {
        let context = try encryptionContext()
        let ok = unsafe EVP_PKEY_public_check_quick(context.pointer) == 1
        OpenSSLErrorQueue.clear()
        return ok
    }

    /// The raw shared secret of this private key with `peer` (`EVP_PKEY_derive`): the x
    /// coordinate for ECDH (SEC 1 §3.3.1), the X25519 output (RFC 7748 §6.1). An all-zero X25519
    /// output (a low-order peer point) is refused.
    /// - Parameter validatePeer: let OpenSSL run the full public-key check on `peer`; pass `false`
    ///   only for a peer already validated (``passesQuickPublicCheck()``).
    func deriveSharedSecret(with peer: EVPKey, validatePeer: Bool = true) throws(PortcullisError) -> [UInt8] {
        let context = try encryptionContext()
        guard unsafe EVP_PKEY_derive_init(context.pointer) == 1 else { throw .backend("EVP_PKEY_derive_init failed") }
        guard unsafe EVP_PKEY_derive_set_peer_ex(context.pointer, peer.pointer, validatePeer ? 1 : 0) == 1 else {
            throw .openSSL(.invalidKey, "the ephemeral public key does not fit the private key")
        }
        var length = 0
        guard unsafe EVP_PKEY_derive(context.pointer, nil, &length) == 1, length > 0 else {
            throw .openSSL(.invalidKey, "key agreement failed")
        }
        var secret = [UInt8](repeating: 0, count: length)
        guard unsafe EVP_PKEY_derive(context.pointer, &secret, &length) == 1 else {
            throw .openSSL(.invalidKey, "key agreement failed")
        }
        let result = Array(secret.prefix(length))
        guard result.contains(where: { $0 != 0 }) else {
            throw PortcullisError(.invalidKey, "key agreement produced an all-zero secret (a low-order public key)")
        }
        return result
    }
}

/// PBKDF2 (RFC 8018 §5.2) through `PKCS5_PBKDF2_HMAC`, for PBES2 (RFC 7518 §4.8).
package enum PBKDF2 {
    /// Derives `length` bytes from `password` and `salt` with `iterations` rounds of HMAC-`digest`.
    package static func derive(
        password: [UInt8], salt: [UInt8], iterations: Int, digest: JWSAlgorithm.Digest, length: Int
    ) throws(PortcullisError) -> [UInt8] {
        guard iterations > 0, iterations <= Int(Int32.max), length > 0, length <= 1024,
              password.count <= Int(Int32.max), salt.count <= Int(Int32.max)
        else { throw PortcullisError(.malformed, "PBKDF2 parameters out of range") }
        guard let md = unsafe EVP_get_digestbyname(digest.openSSLName) else {
            throw .backend("\(digest.openSSLName) is not available")
        }
        var output = [UInt8](repeating: 0, count: length)
        let status = unsafe password.withUnsafeBufferPointer { pass in
            unsafe pass.withMemoryRebound(to: CChar.self) { passChars in
                unsafe PKCS5_PBKDF2_HMAC(
                    passChars.baseAddress, Int32(password.count), salt, Int32(salt.count),
                    Int32(iterations), md, Int32(length), &output)
            }
        }
        guard status == 1 else { throw .backend("PBKDF2 failed") }
        return output
    }
}
