internal import CPortcullisOpenSSL
import PortcullisJOSE

/// One key parameter for ``EVPKey/fromParameters(algorithm:includesPrivate:_:)``.
enum KeyParameterValue {
    /// A big-endian unsigned integer (RSA parameters, EC private scalar).
    case integer(CPortcullisOpenSSL_KeyParameter, [UInt8])
    /// An octet string (EC encoded point, OKP keys).
    case octets(CPortcullisOpenSSL_KeyParameter, [UInt8])
    /// A UTF-8 string (EC group name).
    case text(CPortcullisOpenSSL_KeyParameter, String)
}

/// The base type of an `EVP_PKEY`.
enum EVPKeyKind: Equatable {
    case rsa, rsaPSS, ec, ed25519, ed448, x25519, x448, other
}

/// Owns one `EVP_PKEY`. An `EVP_PKEY` is never modified after construction, so OpenSSL allows
/// concurrent use from many threads; every operation here only reads it.
@safe
final class EVPKey: @unchecked Sendable {
    /// Read by the other `*_openssl.swift` files (encryption, key agreement); never freed there.
    let pointer: OpaquePointer

    init(takingOwnershipOf pointer: OpaquePointer) {
        unsafe self.pointer = pointer
    }

    deinit {
        unsafe EVP_PKEY_free(pointer)
    }

    // MARK: Construction

    /// Builds a key with `EVP_PKEY_fromdata` from `parameters`. Failure means OpenSSL rejected the
    /// material (`invalid_key`).
    static func fromParameters(
        algorithm: String,
        includesPrivate: Bool,
        _ parameters: [KeyParameterValue]
    ) throws(PortcullisError) -> EVPKey {
        guard let builder = unsafe OSSL_PARAM_BLD_new() else { throw .backend("OSSL_PARAM_BLD_new failed") }
        defer { unsafe OSSL_PARAM_BLD_free(builder) }
        var bignums: [OpaquePointer] = unsafe []
        defer { for unsafe bn in unsafe bignums { unsafe BN_clear_free(bn) } }

        // Octet and text values are referenced (not copied) until OSSL_PARAM_BLD_to_param, so they
        // live in one arena that stays pinned while the parameters are built and used.
        var arena: [UInt8] = []
        var offsets: [Int] = []
        for parameter in parameters {
            offsets.append(arena.count)
            switch parameter {
            case .integer: break
            case .octets(_, let bytes): arena.append(contentsOf: bytes)
            case .text(_, let text): arena.append(contentsOf: Array(text.utf8) + [0])
            }
        }
        let selection = includesPrivate
            ? CPortcullisOpenSSL_selectionKeyPair() : CPortcullisOpenSSL_selectionPublicKey()
        let result: Result<EVPKey, PortcullisError> = unsafe arena.withUnsafeBytes { base in
            for (index, parameter) in parameters.enumerated() {
                let pushed: Int32
                switch parameter {
                case .integer(let name, let bytes):
                    guard let bn = unsafe BN_bin2bn(bytes, Int32(bytes.count), nil) else {
                        return .failure(.backend("BN_bin2bn failed"))
                    }
                    unsafe bignums.append(bn)
                    pushed = unsafe OSSL_PARAM_BLD_push_BN(builder, CPortcullisOpenSSL_keyParameterName(name), bn)
                case .octets(let name, let bytes):
                    pushed = unsafe OSSL_PARAM_BLD_push_octet_string(
                        builder, CPortcullisOpenSSL_keyParameterName(name), base.baseAddress.map { unsafe $0 + offsets[index] }, bytes.count)
                case .text(let name, let text):
                    pushed = unsafe OSSL_PARAM_BLD_push_utf8_string(
                        builder, CPortcullisOpenSSL_keyParameterName(name),
                        base.baseAddress.map { unsafe ($0 + offsets[index]).assumingMemoryBound(to: CChar.self) },
                        text.utf8.count)
                }
                guard pushed == 1 else { return .failure(.backend("OSSL_PARAM_BLD_push failed")) }
            }
            guard let params = unsafe OSSL_PARAM_BLD_to_param(builder) else {
                return .failure(.backend("OSSL_PARAM_BLD_to_param failed"))
            }
            defer { unsafe OSSL_PARAM_free(params) }
            guard let context = unsafe EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
                return .failure(.backend("EVP_PKEY_CTX_new_from_name(\(algorithm)) failed"))
            }
            let owner = unsafe KeyContext(takingOwnershipOf: context)
            var key: OpaquePointer?
            guard unsafe EVP_PKEY_fromdata_init(owner.pointer) == 1,
                  unsafe EVP_PKEY_fromdata(owner.pointer, &key, selection, params) == 1,
                  let key = unsafe key
            else {
                return .failure(.openSSL(.invalidKey, "OpenSSL rejected the \(algorithm) key parameters"))
            }
            return unsafe .success(EVPKey(takingOwnershipOf: key))
        }
        return try result.get()
    }

    /// Decodes DER in the given format. Trailing bytes are rejected. Failure is `malformed`.
    static func decode(der: [UInt8], format: DERFormat) throws(PortcullisError) -> EVPKey {
        let decoded: OpaquePointer? = unsafe der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let start = buffer.baseAddress, buffer.count > 0, buffer.count <= Int(Int32.max) else { return nil }
            var cursor: UnsafePointer<UInt8>? = unsafe start
            let length = buffer.count
            let key: OpaquePointer?
            switch format {
            case .spki:
                unsafe key = d2i_PUBKEY(nil, &cursor, length)
            case .pkcs8:
                guard let info = unsafe d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, length) else { return nil }
                defer { unsafe PKCS8_PRIV_KEY_INFO_free(info) }
                unsafe key = EVP_PKCS82PKEY(info)
            case .pkcs1Public:
                unsafe key = d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, length)
            case .pkcs1Private:
                unsafe key = d2i_PrivateKey(EVP_PKEY_RSA, nil, &cursor, length)
            case .sec1:
                unsafe key = d2i_PrivateKey(EVP_PKEY_EC, nil, &cursor, length)
            case .x509Certificate:
                guard let certificate = unsafe d2i_X509(nil, &cursor, length) else { return nil }
                defer { unsafe X509_free(certificate) }
                unsafe key = X509_get_pubkey(certificate)
            }
            guard let key = unsafe key else { return nil }
            guard let end = unsafe cursor, unsafe end == start + length else {
                unsafe EVP_PKEY_free(key)
                return nil
            }
            return unsafe key
        }
        guard let decoded = unsafe decoded else {
            throw .openSSL(.malformed, "the DER data is not a valid \(format.displayName)")
        }
        return unsafe EVPKey(takingOwnershipOf: decoded)
    }

    /// Generates a key. `rsaBits` applies to `"RSA"`, `group` to `"EC"`.
    static func generate(algorithm: String, rsaBits: Int? = nil, group: String? = nil) throws(PortcullisError) -> EVPKey {
        guard let context = unsafe EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw .backend("EVP_PKEY_CTX_new_from_name(\(algorithm)) failed")
        }
        let owner = unsafe KeyContext(takingOwnershipOf: context)
        guard unsafe EVP_PKEY_keygen_init(owner.pointer) == 1 else { throw .backend("EVP_PKEY_keygen_init failed") }
        if let rsaBits, unsafe EVP_PKEY_CTX_set_rsa_keygen_bits(owner.pointer, Int32(rsaBits)) != 1 {
            throw .backend("setting the RSA key size failed")
        }
        if let group, unsafe EVP_PKEY_CTX_set_group_name(owner.pointer, group) != 1 {
            throw .backend("setting the EC group failed")
        }
        var key: OpaquePointer?
        guard unsafe EVP_PKEY_generate(owner.pointer, &key) == 1, let key = unsafe key else {
            throw .backend("generating a \(algorithm) key failed")
        }
        return unsafe EVPKey(takingOwnershipOf: key)
    }

    /// A key holding only the public half (through an SPKI round trip).
    func publicOnly() throws(PortcullisError) -> EVPKey {
        try EVPKey.decode(der: try subjectPublicKeyInfo(), format: .spki)
    }

    // MARK: Inspection

    /// The key's base type.
    var kind: EVPKeyKind {
        switch unsafe EVP_PKEY_get_base_id(pointer) {
        case EVP_PKEY_RSA: .rsa
        case EVP_PKEY_RSA_PSS: .rsaPSS
        case EVP_PKEY_EC: .ec
        case EVP_PKEY_ED25519: .ed25519
        case EVP_PKEY_ED448: .ed448
        case EVP_PKEY_X25519: .x25519
        case EVP_PKEY_X448: .x448
        default: .other
        }
    }

    /// `EVP_PKEY_get_bits`.
    var bits: Int { Int(unsafe EVP_PKEY_get_bits(pointer)) }

    /// A big-number parameter as minimal big-endian bytes, or `nil` when the key has none.
    func integer(_ name: CPortcullisOpenSSL_KeyParameter) -> [UInt8]? {
        var bn: OpaquePointer?
        guard unsafe EVP_PKEY_get_bn_param(pointer, CPortcullisOpenSSL_keyParameterName(name), &bn) == 1,
              let bn = unsafe bn
        else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { unsafe BN_clear_free(bn) }
        var bytes = [UInt8](repeating: 0, count: Int(unsafe CPortcullisOpenSSL_BN_num_bytes(bn)))
        _ = unsafe BN_bn2bin(bn, &bytes)
        return bytes
    }

    /// An octet-string parameter, or `nil` when the key has none.
    func octets(_ name: CPortcullisOpenSSL_KeyParameter) -> [UInt8]? {
        let cName = unsafe CPortcullisOpenSSL_keyParameterName(name)
        var length = 0
        guard unsafe EVP_PKEY_get_octet_string_param(pointer, cName, nil, 0, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        var bytes = [UInt8](repeating: 0, count: length)
        guard unsafe EVP_PKEY_get_octet_string_param(pointer, cName, &bytes, length, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return Array(bytes.prefix(length))
    }

    /// The EC group name (`"prime256v1"`, `"secp384r1"`, …), or `nil`.
    var groupName: String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        let name = unsafe CPortcullisOpenSSL_keyParameterName(CPortcullisOpenSSL_KeyParameter_groupName)
        guard unsafe EVP_PKEY_get_utf8_string_param(pointer, name, &buffer, buffer.count, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `EVP_PKEY_public_check`: for EC, the point is on the curve, not infinity, of order n.
    func passesPublicCheck() throws(PortcullisError) -> Bool {
        let context = try checkContext()
        let ok = unsafe EVP_PKEY_public_check(context.pointer) == 1
        OpenSSLErrorQueue.clear()
        return ok
    }

    /// `EVP_PKEY_pairwise_check`: the private and public halves belong together.
    func passesPairwiseCheck() throws(PortcullisError) -> Bool {
        let context = try checkContext()
        let ok = unsafe EVP_PKEY_pairwise_check(context.pointer) == 1
        OpenSSLErrorQueue.clear()
        return ok
    }

    private func checkContext() throws(PortcullisError) -> KeyContext {
        guard let context = unsafe EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw .backend("EVP_PKEY_CTX_new_from_pkey failed")
        }
        return unsafe KeyContext(takingOwnershipOf: context)
    }

    // MARK: Encoding

    /// The SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7).
    func subjectPublicKeyInfo() throws(PortcullisError) -> [UInt8] {
        let length = unsafe i2d_PUBKEY(pointer, nil)
        guard length > 0 else { throw .backend("i2d_PUBKEY failed") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = unsafe bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return unsafe i2d_PUBKEY(pointer, &cursor)
        }
        guard written == length else { throw .backend("i2d_PUBKEY failed") }
        return bytes
    }

    /// The PKCS#8 PrivateKeyInfo DER (RFC 5208 §5).
    func privateKeyInfo() throws(PortcullisError) -> [UInt8] {
        guard let info = unsafe EVP_PKEY2PKCS8(pointer) else { throw .backend("EVP_PKEY2PKCS8 failed") }
        defer { unsafe PKCS8_PRIV_KEY_INFO_free(info) }
        let length = unsafe i2d_PKCS8_PRIV_KEY_INFO(info, nil)
        guard length > 0 else { throw .backend("i2d_PKCS8_PRIV_KEY_INFO failed") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = unsafe bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return unsafe i2d_PKCS8_PRIV_KEY_INFO(info, &cursor)
        }
        guard written == length else { throw .backend("i2d_PKCS8_PRIV_KEY_INFO failed") }
        return bytes
    }
}

/// Owns one `EVP_PKEY_CTX`.
@safe
final class KeyContext: @unchecked Sendable {
    let pointer: OpaquePointer

    init(takingOwnershipOf pointer: OpaquePointer) {
        unsafe self.pointer = pointer
    }

    deinit {
        unsafe EVP_PKEY_CTX_free(pointer)
    }
}

/// Owns one `EVP_MD_CTX` used for `EVP_DigestSign*` / `EVP_DigestVerify*` (the `EVP_PKEY_CTX`
/// those functions create belongs to it).
@safe
final class SignatureContext: @unchecked Sendable {
    fileprivate let pointer: OpaquePointer

    fileprivate init(takingOwnershipOf pointer: OpaquePointer) {
        unsafe self.pointer = pointer
    }

    deinit {
        unsafe EVP_MD_CTX_free(pointer)
    }

    fileprivate static func make() throws(PortcullisError) -> SignatureContext {
        guard let pointer = unsafe EVP_MD_CTX_new() else { throw .backend("EVP_MD_CTX_new failed") }
        return unsafe SignatureContext(takingOwnershipOf: pointer)
    }
}

// MARK: - Signing and verifying

/// A signature scheme as OpenSSL runs it.
enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    case rsaPKCS1(JWSAlgorithm.Digest)
    /// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 7518 §3.5).
    case rsaPSS(JWSAlgorithm.Digest)
    /// ECDSA over a hash; the signature is DER here (conversion from `r‖s` happens above).
    case ecdsa(JWSAlgorithm.Digest)
    /// Pure EdDSA (RFC 8032), one-shot.
    case eddsa

    var digest: JWSAlgorithm.Digest? {
        switch self {
        case .rsaPKCS1(let digest), .rsaPSS(let digest), .ecdsa(let digest): digest
        case .eddsa: nil
        }
    }
}

/// Sets padding, digest and salt length on a signing or verifying `EVP_PKEY_CTX`.
private func configure(_ context: OpaquePointer, for scheme: SignatureScheme) -> Bool {
    guard let digest = scheme.digest else { return true }
    guard let md = unsafe EVP_get_digestbyname(digest.openSSLName) else { return false }
    switch scheme {
    case .rsaPKCS1:
        guard unsafe EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1 else { return false }
    case .rsaPSS:
        guard unsafe EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) == 1,
              unsafe EVP_PKEY_CTX_set_rsa_mgf1_md(context, md) == 1,
              // An explicit length (not "auto"): verification then demands exactly this salt.
              unsafe EVP_PKEY_CTX_set_rsa_pss_saltlen(context, Int32(digest.byteCount)) == 1
        else { return false }
    case .ecdsa, .eddsa:
        break
    }
    return unsafe EVP_PKEY_CTX_set_signature_md(context, md) == 1
}

extension EVPKey {
    /// Signs `input` (the whole message; hashing happens inside).
    func sign(_ input: some Collection<UInt8>, scheme: SignatureScheme) throws(PortcullisError) -> [UInt8] {
        let context = try SignatureContext.make()
        var keyContext: OpaquePointer?
        guard unsafe EVP_DigestSignInit_ex(context.pointer, &keyContext, scheme.digest?.openSSLName, nil, nil, pointer, nil) == 1,
              let keyContext = unsafe keyContext, unsafe configure(keyContext, for: scheme)
        else { throw .backend("initialising the signature failed") }
        let signature: [UInt8]? = unsafe withContiguousBytes(input) { message in
            let data = unsafe message.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var length = 0
            guard unsafe EVP_DigestSign(context.pointer, nil, &length, data, message.count) == 1 else { return nil }
            var output = [UInt8](repeating: 0, count: length)
            guard unsafe EVP_DigestSign(context.pointer, &output, &length, data, message.count) == 1 else { return nil }
            return Array(output.prefix(length))
        }
        guard let signature else { throw .backend("signing failed") }
        return signature
    }

    /// A verifier for `scheme`, prepared once and reusable (by one thread at a time).
    func makeVerifier(_ scheme: SignatureScheme) throws(PortcullisError) -> PreparedVerifier {
        if case .eddsa = scheme {
            let context = try SignatureContext.make()
            guard unsafe EVP_DigestVerifyInit_ex(context.pointer, nil, nil, nil, nil, pointer, nil) == 1 else {
                throw .backend("initialising the EdDSA verification failed")
            }
            return PreparedVerifier(key: self, signatureContext: context)
        }
        guard let digest = scheme.digest else { throw .backend("no digest") }
        guard let raw = unsafe EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw .backend("EVP_PKEY_CTX_new_from_pkey failed")
        }
        let keyContext = unsafe KeyContext(takingOwnershipOf: raw)
        guard unsafe EVP_PKEY_verify_init(raw) == 1, unsafe configure(raw, for: scheme) else {
            throw .backend("initialising the verification failed")
        }
        return PreparedVerifier(key: self, digest: digest, digestContext: try DigestContext.make(), keyContext: keyContext)
    }
}

/// A ready-to-use verifier: for RSA and ECDSA a hashing context plus an `EVP_PKEY_CTX` set up once
/// with padding, digest and salt length (what `openssl speed` measures); for EdDSA a signature
/// context initialised per call. Never used by two threads at once (see ``ContextPool``).
@safe
final class PreparedVerifier: @unchecked Sendable {
    private let key: EVPKey
    private let digest: JWSAlgorithm.Digest?
    private let digestContext: DigestContext?
    private let keyContext: KeyContext?
    private let signatureContext: SignatureContext?

    fileprivate init(key: EVPKey, digest: JWSAlgorithm.Digest, digestContext: DigestContext, keyContext: KeyContext) {
        self.key = key
        self.digest = digest
        self.digestContext = digestContext
        self.keyContext = keyContext
        self.signatureContext = nil
    }

    fileprivate init(key: EVPKey, signatureContext: SignatureContext) {
        self.key = key
        self.digest = nil
        self.digestContext = nil
        self.keyContext = nil
        self.signatureContext = signatureContext
    }

    /// Whether the EdDSA context has run a verification since it was last initialised.
    private var used = false

    /// `true` when `signature` (DER for ECDSA) is valid for `input`. A signature that does not
    /// verify is `false`, whatever OpenSSL's reason; only a failure to hash or to initialise throws.
    func verify(signature: some Collection<UInt8>, input: some Collection<UInt8>) throws(PortcullisError) -> Bool {
        let status: Int32
        if let signatureContext {
            if used && !oneShotVerifyIsReusable {
                // Newer OpenSSL marks a context finalised after a one-shot verification. A NULL
                // key re-initialises it cheaply (keeping the fetched algorithm and the key);
                // should that be refused, initialise it from scratch.
                if unsafe EVP_DigestVerifyInit_ex(signatureContext.pointer, nil, nil, nil, nil, nil, nil) != 1 {
                    OpenSSLErrorQueue.clear()
                    guard unsafe EVP_DigestVerifyInit_ex(signatureContext.pointer, nil, nil, nil, nil, key.pointer, nil) == 1 else {
                        throw .backend("initialising the EdDSA verification failed")
                    }
                }
            }
            used = true
            status = unsafe withContiguousBytes(signature) { sig in
                unsafe withContiguousBytes(input) { message in
                    unsafe EVP_DigestVerify(
                        signatureContext.pointer,
                        sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count,
                        message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
                }
            }
        } else if let digest, let digestContext, let keyContext {
            let hash = try digestContext.hash(input, digest: digest)
            status = unsafe withContiguousBytes(signature) { sig in
                unsafe EVP_PKEY_verify(
                    keyContext.pointer, sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count, hash, hash.count)
            }
        } else {
            throw .backend("verifier is not initialised")
        }
        if status == 1 { return true }
        OpenSSLErrorQueue.clear()
        return false
    }
}

/// Whether this OpenSSL lets one initialised `EVP_MD_CTX` run several one-shot EdDSA
/// verifications (3.0 and 3.1 do, and `openssl speed` relies on it; later versions mark the
/// context finalised and need a re-initialisation). Probed once with a throwaway key.
private let oneShotVerifyIsReusable: Bool = {
    let message = Array("probe".utf8)
    guard let key = try? EVPKey.generate(algorithm: "ED25519"),
          let signature = try? key.sign(message, scheme: .eddsa),
          let context = try? SignatureContext.make(),
          unsafe EVP_DigestVerifyInit_ex(context.pointer, nil, nil, nil, nil, key.pointer, nil) == 1
    else {
        OpenSSLErrorQueue.clear()
        return false
    }
    let first = unsafe EVP_DigestVerify(context.pointer, signature, signature.count, message, message.count)
    let second = unsafe EVP_DigestVerify(context.pointer, signature, signature.count, message, message.count)
    OpenSSLErrorQueue.clear()
    return first == 1 && second == 1
}()
