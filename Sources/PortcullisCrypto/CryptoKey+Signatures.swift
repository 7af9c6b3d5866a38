public import PortcullisJOSE

extension CryptoKey {
    /// `true` when the key's type (and curve) fits `algorithm` (RFC 7518 §3, RFC 8037 §3.1):
    /// `oct` for HS*, RSA for RS*/PS*, EC on the algorithm's own curve for ES*, OKP Ed25519 or
    /// Ed448 for EdDSA. Sizes are not considered; see ``checkUsable(with:)``.
    public func isCompatible(with algorithm: JWSAlgorithm) -> Bool {
        switch algorithm.family {
        case .hmac: keyType == .octet
        case .rsaPKCS1, .rsaPSS: keyType == .rsa
        case .ecdsa: keyType == .ec && curve != nil && curve == algorithm.curve
        case .eddsa: keyType == .okp && (curve == .ed25519 || curve == .ed448)
        }
    }

    /// Throws unless the key may be used with `algorithm`: it must be compatible (see
    /// ``isCompatible(with:)``) and, for HMAC, at least as long as the hash output (RFC 7518
    /// §3.2). RSA sizes are enforced when a key is created.
    /// - Throws: `invalid_key`, with a message naming the mismatch.
    public func checkUsable(with algorithm: JWSAlgorithm) throws(PortcullisError) {
        guard isCompatible(with: algorithm) else {
            throw PortcullisError(
                .invalidKey, "a \(describedType) key cannot be used with \(algorithm.name)", algorithm: algorithm.name)
        }
        if algorithm.family == .hmac, let digest = algorithm.digest, bitCount < digest.byteCount * 8 {
            throw PortcullisError(
                .invalidKey,
                "HMAC key is \(bitCount) bits; \(algorithm.name) needs at least \(digest.byteCount * 8) (RFC 7518 §3.2)",
                algorithm: algorithm.name)
        }
    }

    /// Verifies a JWS signature over `signingInput` (RFC 7515 §5.2).
    ///
    /// Returns `false` for any signature that does not verify, including one of the wrong
    /// length, an ECDSA signature with r or s outside 1…n−1 (checked before OpenSSL sees it), a
    /// PSS signature whose salt is not as long as the hash, or an HMAC tag shorter than the hash
    /// (tags are compared in constant time).
    ///
    /// - Throws: `invalid_key` when the key does not fit the algorithm (``checkUsable(with:)``);
    ///   `crypto_failure` when OpenSSL fails.
    public func verify(
        signature: [UInt8], signingInput: ArraySlice<UInt8>, algorithm: JWSAlgorithm
    ) throws(PortcullisError) -> Bool {
        // The concrete types a parsed compact JWS provides. Generic code is not specialised
        // across module boundaries, so this overload keeps the verifier's hot path specialised.
        try verify(signature: signature[...], signingInput: signingInput, algorithm: algorithm)
    }

    /// Verifies a signature over `signingInput`; see the generic overload.
    public func verify(
        signature: ArraySlice<UInt8>, signingInput: ArraySlice<UInt8>, algorithm: JWSAlgorithm
    ) throws(PortcullisError) -> Bool {
        try verifyAnyCollections(signature: signature, signingInput: signingInput, algorithm: algorithm)
    }

    /// Verifies a signature over any byte collections (RFC 7515 §5.2 step 8).
    public func verify(
        signature: some Collection<UInt8>, signingInput: some Collection<UInt8>, algorithm: JWSAlgorithm
    ) throws(PortcullisError) -> Bool {
        try verifyAnyCollections(signature: signature, signingInput: signingInput, algorithm: algorithm)
    }

    private func verifyAnyCollections(
        signature: some Collection<UInt8>,
        signingInput: some Collection<UInt8>,
        algorithm: JWSAlgorithm
    ) throws(PortcullisError) -> Bool {
        try checkUsable(with: algorithm)
        switch storage {
        case .secret(let secret):
            guard let digest = algorithm.digest else { return false }
            return try secret.backend.verify(tag: signature, input: signingInput, digest: digest)
        case .asymmetric(let key):
            switch algorithm.family {
            case .rsaPKCS1, .rsaPSS:
                // RFC 8017 §8.1.2 / §8.2.2 step 1: the signature is exactly k bytes.
                guard let digest = algorithm.digest, signature.count == (key.bitCount + 7) / 8 else { return false }
                let scheme: SignatureScheme = algorithm.family == .rsaPSS ? .rsaPSS(digest) : .rsaPKCS1(digest)
                return try key.verify(signature: signature, input: signingInput, scheme: scheme)
            case .ecdsa:
                guard let digest = algorithm.digest, let curve = key.curve,
                      let der = ECDSASignature.der(fromRaw: signature, curve: curve)
                else { return false }
                return try key.verify(signature: der, input: signingInput, scheme: .ecdsa(digest))
            case .eddsa:
                guard let curve = key.curve, signature.count == 2 * curve.coordinateByteCount else { return false }
                return try key.verify(signature: signature, input: signingInput, scheme: .eddsa)
            case .hmac:
                return false
            }
        }
    }

    /// Signs `signingInput` (RFC 7515 §5.1). ECDSA signatures are raw `r‖s`, each left-padded
    /// to the coordinate size (RFC 7518 §3.4); PSS uses a salt as long as the hash.
    /// - Throws: `invalid_key` for a public key or one that does not fit the algorithm;
    ///   `crypto_failure` when OpenSSL fails.
    public func sign(_ signingInput: some Collection<UInt8>, algorithm: JWSAlgorithm) throws(PortcullisError) -> [UInt8] {
        try checkUsable(with: algorithm)
        guard isPrivate else {
            throw PortcullisError(.invalidKey, "a public key cannot sign", algorithm: algorithm.name)
        }
        switch storage {
        case .secret(let secret):
            guard let digest = algorithm.digest else { throw PortcullisError(.invalidKey, "HMAC needs a digest") }
            return try secret.backend.authenticate(signingInput, digest: digest)
        case .asymmetric(let key):
            switch algorithm.family {
            case .rsaPKCS1, .rsaPSS:
                guard let digest = algorithm.digest else { throw PortcullisError(.invalidKey, "RSA needs a digest") }
                let scheme: SignatureScheme = algorithm.family == .rsaPSS ? .rsaPSS(digest) : .rsaPKCS1(digest)
                return try key.key.sign(signingInput, scheme: scheme)
            case .ecdsa:
                guard let digest = algorithm.digest, let curve = key.curve else {
                    throw PortcullisError(.invalidKey, "ECDSA needs a digest and a curve")
                }
                let der = try key.key.sign(signingInput, scheme: .ecdsa(digest))
                guard let raw = ECDSASignature.raw(fromDER: der, curve: curve) else {
                    throw PortcullisError(.cryptoFailure, "OpenSSL produced an ECDSA signature that does not decode")
                }
                return raw
            case .eddsa:
                return try key.key.sign(signingInput, scheme: .eddsa)
            case .hmac:
                throw PortcullisError(.invalidKey, "an asymmetric key cannot compute an HMAC")
            }
        }
    }

    /// "RSA", "EC P-256", "OKP Ed25519", "oct".
    private var describedType: String {
        switch keyType {
        case .octet: "oct"
        case .rsa: "RSA"
        case .ec: "EC \(curve?.name ?? "")"
        case .okp: "OKP \(curve?.name ?? "")"
        }
    }
}
