public import PortcullisJOSE

extension CryptoKey {
    /// Creates a key from PEM text (RFC 7468). Accepted blocks: `PUBLIC KEY` (SPKI),
    /// `PRIVATE KEY` (PKCS #8), `RSA PUBLIC KEY` / `RSA PRIVATE KEY` (PKCS #1),
    /// `EC PRIVATE KEY` (SEC 1; a preceding `EC PARAMETERS` block is skipped) and `CERTIFICATE`
    /// (the certificate's public key; the certificate itself is not validated). The first
    /// such block is used.
    ///
    /// - Throws: `invalid_key` for encrypted PEM (`ENCRYPTED PRIVATE KEY` or a `Proc-Type:
    ///   4,ENCRYPTED` header) and for unacceptable key material; `malformed` for text that is
    ///   not PEM or does not decode.
    public init(pem: String) throws(PortcullisError) {
        let (format, der) = try PEM.decode(pem)
        try self.init(der: der, format: format)
    }

    /// Creates a key from DER in the given format. The whole input must be one structure.
    /// - Throws: `malformed` when the bytes do not decode; `invalid_key` for unacceptable keys.
    public init(der: [UInt8], format: DERFormat) throws(PortcullisError) {
        let key = try EVPKey.decode(der: der, format: format)
        self.init(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: format.isPrivate)))
    }

    /// The key as PEM: `PUBLIC KEY` (SPKI), or `PRIVATE KEY` (PKCS #8) when `includingPrivate`
    /// is set and the key is private.
    /// - Throws: `invalid_key` for HMAC secrets, which have no PEM form.
    public func pem(includingPrivate: Bool = false) throws(PortcullisError) -> String {
        let der = try der(includingPrivate: includingPrivate)
        return PEM.encode(der, label: includingPrivate && isPrivate ? DERFormat.pkcs8.pemLabel : DERFormat.spki.pemLabel)
    }

    /// The key as DER: SubjectPublicKeyInfo, or PKCS #8 PrivateKeyInfo when `includingPrivate`
    /// is set and the key is private.
    /// - Throws: `invalid_key` for HMAC secrets, which have no DER form.
    public func der(includingPrivate: Bool = false) throws(PortcullisError) -> [UInt8] {
        switch storage {
        case .secret:
            throw PortcullisError(.invalidKey, "an HMAC secret has no PEM or DER form; export it as a JWK")
        case .asymmetric(let key):
            if includingPrivate && key.isPrivate {
                return try key.key.privateKeyInfo()
            }
            return try (key.publicHalf ?? key.key).subjectPublicKeyInfo()
        }
    }
}
