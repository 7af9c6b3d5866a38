public import PortcullisJOSE
public import PortcullisCrypto

/// Produces compact JWEs (RFC 7516 §5.1) for one recipient key.
///
/// ```swift
/// let encrypter = try JWEEncrypter(key: recipientPublicKey, keyID: "enc-1", algorithm: .rsaOAEP256, encryption: .a256GCM)
/// let token = try encrypter.encrypt(Array(innerJWS.utf8), contentType: "JWT")
/// ```
///
/// A fresh CEK (except for `dir` and `ECDH-ES`) and a fresh IV come from OpenSSL's DRBG for
/// every token.
public struct JWEEncrypter: Sendable {
    /// The recipient's key: a public key (RSA, EC, X25519) or a secret.
    public let key: EncryptionKey
    /// The `kid` written into the header.
    public let keyID: String?
    /// The key management algorithm.
    public let algorithm: JWEAlgorithm
    /// The content encryption algorithm.
    public let encryption: JWEEncryption
    /// The PBES2 iteration count written as `p2c` (default 10,000; at most
    /// ``DecryptionConfiguration/pbes2CountCeiling``, so that Portcullis can read its own tokens).
    public let pbes2Count: Int

    /// Creates an encrypter after checking that `key` suits `algorithm` and `encryption`.
    /// - Throws: `invalid_key` when it does not (a wrong type, a wrong secret length, a curve
    ///   that is not for key agreement), or for a `pbes2Count` outside 1000…100,000.
    public init(
        key: EncryptionKey, keyID: String? = nil, algorithm: JWEAlgorithm, encryption: JWEEncryption, pbes2Count: Int = 10_000
    ) throws(PortcullisError) {
        let secretLength = key.secretBytes?.count
        let fits: Bool
        switch algorithm.family {
        case .rsaPKCS1, .rsaOAEP: fits = key.keyType == .rsa
        case .aesKeyWrap, .aesGCMKeyWrap: fits = secretLength == algorithm.keyWrapByteCount
        case .direct: fits = secretLength == encryption.keyByteCount
        case .ecdhES, .ecdhESKeyWrap: fits = key.curve != nil
        case .pbes2: fits = secretLength != nil
        }
        guard fits else {
            throw PortcullisError(
                .invalidKey, "this key cannot be used with \(algorithm.name) and \(encryption.name)", keyID: keyID, algorithm: algorithm.name)
        }
        guard algorithm.family != .pbes2 || (1000...DecryptionConfiguration.pbes2CountCeiling).contains(pbes2Count) else {
            throw PortcullisError(.invalidKey, "the PBES2 iteration count must be 1000…\(DecryptionConfiguration.pbes2CountCeiling)")
        }
        self.key = key
        self.keyID = keyID
        self.algorithm = algorithm
        self.encryption = encryption
        self.pbes2Count = pbes2Count
    }

    /// Encrypts `plaintext`.
    /// - Parameters:
    ///   - plaintext: The content; for a nested JWT, the compact JWS.
    ///   - contentType: `cty`; pass `"JWT"` for a nested JWT (RFC 7519 §5.2).
    ///   - type: `typ`, for example `"JWT"`.
    ///   - compress: Compress with DEFLATE first (`zip: DEF`). Compression can leak information
    ///     about the plaintext through the token's length (RFC 7516 §11.5, CRIME-style); leave
    ///     it off unless the plaintext holds no secret an attacker can influence.
    ///   - additionalHeader: More header members, written after the ones above; they must not
    ///     repeat them.
    /// - Returns: The compact serialization.
    public func encrypt(
        _ plaintext: some Collection<UInt8>, contentType: String? = nil, type: String? = nil,
        compress: Bool = false, additionalHeader: JSONObject = JSONObject()
    ) throws(PortcullisError) -> String {
        var members: [JSONObject.Member] = [
            .init(name: "alg", value: .string(algorithm.name)),
            .init(name: "enc", value: .string(encryption.name)),
        ]
        if compress { members.append(.init(name: "zip", value: .string("DEF"))) }
        if let keyID { members.append(.init(name: "kid", value: .string(keyID))) }
        if let type { members.append(.init(name: "typ", value: .string(type))) }
        if let contentType { members.append(.init(name: "cty", value: .string(contentType))) }
        let (cek, encryptedKey, parameters) = try wrapNewKey()
        members += parameters
        let names = Set(members.map(\.name))
        for member in additionalHeader.members {
            guard !names.contains(member.name) else {
                throw PortcullisError(.malformed, "additionalHeader repeats the header parameter \"\(member.name)\"", claim: member.name)
            }
            members.append(member)
        }
        let encodedHeader = Base64URL.encodeToBytes(JSONObject(uniqueMembers: members).serializedBytes())
        let content = compress ? try Deflate.deflate(Array(plaintext)) : Array(plaintext)
        let iv = try SecureRandom.bytes(encryption.cipher.ivByteCount)
        let (ciphertext, tag) = try encryption.cipher.seal(key: cek, iv: iv, aad: encodedHeader, plaintext: content)
        return JWECompact.serialize(encodedHeader: encodedHeader, encryptedKey: encryptedKey, iv: iv, ciphertext: ciphertext, tag: tag)
    }

    /// The CEK, the JWE Encrypted Key and the header parameters of the key management mode.
    private func wrapNewKey() throws(PortcullisError) -> ([UInt8], [UInt8], [JSONObject.Member]) {
        let secret = key.secretBytes ?? []
        let randomCEK = try SecureRandom.bytes(encryption.keyByteCount)
        switch algorithm.family {
        case .rsaPKCS1:
            return (randomCEK, try key.rsaEncrypt(randomCEK, padding: .pkcs1), [])
        case .rsaOAEP:
            let padding: RSAEncryptionPadding = algorithm.digest == .sha256 ? .oaepSHA256 : .oaepSHA1
            return (randomCEK, try key.rsaEncrypt(randomCEK, padding: padding), [])
        case .aesKeyWrap:
            return (randomCEK, try AES.wrap(kek: secret, keyData: randomCEK), [])
        case .direct:
            return (secret, [], [])
        case .ecdhES, .ecdhESKeyWrap:
            guard let curve = key.curve else { throw PortcullisError(.invalidKey, "ECDH-ES needs an EC or X25519 key") }
            let ephemeral = try EncryptionKey.generate(.agreement(curve))
            let z = try ephemeral.sharedSecret(with: key.publicKey)
            let epk = JSONValue.object(try ephemeral.jwk(includingPrivate: false).jsonObject(includingPrivate: false))
            var wrapped: [UInt8] = []
            let parameters = KeyManagement.Parameters()
            guard let derived = try KeyManagement.agreedKey(z, parameters: parameters, algorithm: algorithm, encryption: encryption, wrapping: {
                kek throws(PortcullisError) in
                wrapped = try AES.wrap(kek: kek, keyData: randomCEK)
                return randomCEK
            }) else { throw PortcullisError(.cryptoFailure, "ECDH-ES key derivation failed") }
            return (derived, wrapped, [.init(name: "epk", value: epk)])
        case .aesGCMKeyWrap:
            let iv = try SecureRandom.bytes(12)
            let (encrypted, tag) = try AES.gcmSeal(key: secret, iv: iv, aad: [], plaintext: randomCEK)
            return (randomCEK, encrypted, [
                .init(name: "iv", value: .string(Base64URL.encode(iv))),
                .init(name: "tag", value: .string(Base64URL.encode(tag))),
            ])
        case .pbes2:
            let salt = try SecureRandom.bytes(16)
            let kek = try PBKDF2.derive(
                password: secret, salt: Array(algorithm.name.utf8) + [0] + salt, iterations: pbes2Count,
                digest: algorithm.digest ?? .sha256, length: algorithm.keyWrapByteCount ?? 16)
            return (randomCEK, try AES.wrap(kek: kek, keyData: randomCEK), [
                .init(name: "p2s", value: .string(Base64URL.encode(salt))),
                .init(name: "p2c", value: .number(JSONNumber(pbes2Count))),
            ])
        }
    }
}
