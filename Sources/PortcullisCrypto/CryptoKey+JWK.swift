internal import CPortcullisOpenSSL
public import PortcullisJOSE

extension CryptoKey {
    /// Creates a key from a JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2). The metadata members
    /// (`kid`, `use`, `alg`, `key_ops`) are not looked at here; the verifier applies them.
    ///
    /// - `oct`: `k` of at least 256 bits.
    /// - `RSA`: `n`, `e`; a private key has `d` and either all of `p`, `q`, `dp`, `dq`, `qi` or
    ///   none of them (RFC 7518 §6.3.2). Multi-prime keys (`oth`) are not supported.
    /// - `EC`: `crv` P-256/P-384/P-521, `x` and `y` (and `d`) exactly the coordinate length
    ///   (RFC 7518 §6.2.1.2, §6.2.2.1), a point on the curve.
    /// - `OKP`: `crv` Ed25519/Ed448, `x` (and `d`) exactly the key length (RFC 8037 §2).
    ///
    /// - Throws: `malformed` when a required member is missing or the CRT set is partial;
    ///   `invalid_key` for unacceptable or unsupported material (an unknown `kty` or `crv`, a
    ///   key-agreement curve such as X25519, a short RSA modulus, an off-curve point, a private
    ///   part that does not match the public part).
    public init(jwk: JWK) throws(PortcullisError) {
        switch jwk.keyType {
        case "oct":
            guard let k = jwk.k else { throw PortcullisError(.malformed, "oct JWK has no \"k\" member") }
            try self.init(hmacSecret: k)
        case "RSA":
            self = try Self.rsa(jwk)
        case "EC":
            self = try Self.ec(jwk)
        case "OKP":
            self = try Self.okp(jwk)
        default:
            throw PortcullisError(.invalidKey, "unsupported JWK key type \"\(jwk.keyType)\"")
        }
    }

    private static func rsa(_ jwk: JWK) throws(PortcullisError) -> CryptoKey {
        guard let n = jwk.n, let e = jwk.e else {
            throw PortcullisError(.malformed, "RSA JWK needs \"n\" and \"e\"")
        }
        if jwk.json["oth"] != nil {
            throw PortcullisError(.invalidKey, "multi-prime RSA keys (\"oth\") are not supported")
        }
        try RSAKeyRules.check(modulus: n, exponent: e)
        var parameters: [KeyParameterValue] = [
            .integer(CPortcullisOpenSSL_KeyParameter_rsaN, n),
            .integer(CPortcullisOpenSSL_KeyParameter_rsaE, e),
        ]
        let crt = [jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi]
        let crtCount = crt.count(where: { $0 != nil })
        guard crtCount == 0 || crtCount == crt.count else {
            throw PortcullisError(.malformed, "RSA JWK has only some of \"p\", \"q\", \"dp\", \"dq\", \"qi\" (RFC 7518 §6.3.2)")
        }
        if let d = jwk.d {
            parameters.append(.integer(CPortcullisOpenSSL_KeyParameter_rsaD, d))
            if let p = jwk.p, let q = jwk.q, let dp = jwk.dp, let dq = jwk.dq, let qi = jwk.qi {
                parameters += [
                    .integer(CPortcullisOpenSSL_KeyParameter_rsaP, p),
                    .integer(CPortcullisOpenSSL_KeyParameter_rsaQ, q),
                    .integer(CPortcullisOpenSSL_KeyParameter_rsaDP, dp),
                    .integer(CPortcullisOpenSSL_KeyParameter_rsaDQ, dq),
                    .integer(CPortcullisOpenSSL_KeyParameter_rsaQI, qi),
                ]
            }
        } else if crtCount > 0 {
            throw PortcullisError(.malformed, "RSA JWK has CRT parameters but no \"d\"")
        }
        let key = try EVPKey.fromParameters(algorithm: "RSA", includesPrivate: jwk.d != nil, parameters)
        return CryptoKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: jwk.d != nil)))
    }

    private static func ec(_ jwk: JWK) throws(PortcullisError) -> CryptoKey {
        guard let crv = jwk.curve else { throw PortcullisError(.malformed, "EC JWK has no \"crv\" member") }
        guard let curve = JWKCurve(name: crv), !curve.isOctetKeyPair else {
            throw PortcullisError(.invalidKey, "unsupported EC curve \"\(crv)\"; use P-256, P-384 or P-521")
        }
        guard let x = jwk.x, let y = jwk.y else { throw PortcullisError(.malformed, "EC JWK needs \"x\" and \"y\"") }
        let size = curve.coordinateByteCount
        guard x.count == size, y.count == size else {
            throw PortcullisError(
                .invalidKey, "EC \(crv) coordinates must be exactly \(size) bytes each (RFC 7518 §6.2.1.2)")
        }
        var parameters: [KeyParameterValue] = [
            .text(CPortcullisOpenSSL_KeyParameter_groupName, crv),
            .octets(CPortcullisOpenSSL_KeyParameter_publicKey, [0x04] + x + y),
        ]
        if let d = jwk.d {
            guard d.count == size else {
                throw PortcullisError(.invalidKey, "EC \(crv) private key \"d\" must be exactly \(size) bytes (RFC 7518 §6.2.2.1)")
            }
            parameters.append(.integer(CPortcullisOpenSSL_KeyParameter_privateKey, d))
        }
        let key = try EVPKey.fromParameters(algorithm: "EC", includesPrivate: jwk.d != nil, parameters)
        return CryptoKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: jwk.d != nil)))
    }

    private static func okp(_ jwk: JWK) throws(PortcullisError) -> CryptoKey {
        guard let crv = jwk.curve else { throw PortcullisError(.malformed, "OKP JWK has no \"crv\" member") }
        let algorithm: String
        switch crv {
        case "Ed25519": algorithm = "ED25519"
        case "Ed448": algorithm = "ED448"
        case "X25519", "X448":
            throw PortcullisError(.invalidKey, "\(crv) is a key-agreement (ECDH) key, not a signature key")
        default:
            throw PortcullisError(.invalidKey, "unsupported OKP curve \"\(crv)\"; use Ed25519 or Ed448")
        }
        guard let curve = JWKCurve(name: crv) else { throw PortcullisError(.invalidKey, "unsupported OKP curve \"\(crv)\"") }
        guard let x = jwk.x else { throw PortcullisError(.malformed, "OKP JWK has no \"x\" member") }
        let size = curve.coordinateByteCount
        guard x.count == size else {
            throw PortcullisError(.invalidKey, "\(crv) public key \"x\" must be exactly \(size) bytes (RFC 8037 §2)")
        }
        guard let d = jwk.d else {
            let key = try EVPKey.fromParameters(
                algorithm: algorithm, includesPrivate: false, [.octets(CPortcullisOpenSSL_KeyParameter_publicKey, x)])
            return CryptoKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: false)))
        }
        guard d.count == size else {
            throw PortcullisError(.invalidKey, "\(crv) private key \"d\" must be exactly \(size) bytes (RFC 8037 §2)")
        }
        // Import the private key alone, let OpenSSL derive the public key, and require it to be x.
        let key = try EVPKey.fromParameters(
            algorithm: algorithm, includesPrivate: true, [.octets(CPortcullisOpenSSL_KeyParameter_privateKey, d)])
        guard key.octets(CPortcullisOpenSSL_KeyParameter_publicKey) == x else {
            throw PortcullisError(.invalidKey, "the \(crv) private key \"d\" does not match \"x\"")
        }
        return CryptoKey(storage: .asymmetric(try AsymmetricKey(validating: key, isPrivate: true)))
    }

    /// The key as a JWK with `kty`, `crv` and the key parameters (no `kid`, `use` or `alg`; set
    /// them on the result). EC and OKP values have their full fixed length (RFC 7518 §6.2.1.2).
    ///
    /// - Parameter includingPrivate: include the private parameters (`d` and, for RSA keys that
    ///   have them, `p`, `q`, `dp`, `dq`, `qi`; `k` for HMAC). Ignored for public keys.
    /// - Throws: `invalid_key` for an HMAC key without `includingPrivate` (a secret has no
    ///   public form).
    public func jwk(includingPrivate: Bool = false) throws(PortcullisError) -> JWK {
        switch storage {
        case .secret(let secret):
            guard includingPrivate else {
                throw PortcullisError(.invalidKey, "an HMAC secret has no public JWK; pass includingPrivate: true")
            }
            return JWK(keyType: "oct", k: secret.bytes)
        case .asymmetric(let key):
            return try key.jwk(includingPrivate: includingPrivate && key.isPrivate)
        }
    }
}

extension AsymmetricKey {
    func jwk(includingPrivate: Bool) throws(PortcullisError) -> JWK {
        func required(_ value: [UInt8]?) throws(PortcullisError) -> [UInt8] {
            guard let value else { throw PortcullisError(.cryptoFailure, "OpenSSL did not export a key parameter") }
            return value
        }
        switch keyType {
        case .rsa:
            var jwk = JWK(
                keyType: "RSA",
                n: try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaN)),
                e: try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaE)))
            if includingPrivate {
                jwk.d = try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaD))
                if hasCRT {
                    jwk.p = try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaP))
                    jwk.q = try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaQ))
                    jwk.dp = try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaDP))
                    jwk.dq = try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaDQ))
                    jwk.qi = try required(key.integer(CPortcullisOpenSSL_KeyParameter_rsaQI))
                }
            }
            return jwk
        case .ec:
            guard let curve else { throw PortcullisError(.cryptoFailure, "EC key without a curve") }
            let size = curve.coordinateByteCount
            var jwk = JWK(
                keyType: "EC", curve: curve.name,
                x: try leftPadded(required(key.integer(CPortcullisOpenSSL_KeyParameter_ecPublicX)), size),
                y: try leftPadded(required(key.integer(CPortcullisOpenSSL_KeyParameter_ecPublicY)), size))
            if includingPrivate {
                jwk.d = try leftPadded(required(key.integer(CPortcullisOpenSSL_KeyParameter_privateKey)), size)
            }
            return jwk
        case .okp:
            guard let curve else { throw PortcullisError(.cryptoFailure, "OKP key without a curve") }
            var jwk = JWK(
                keyType: "OKP", curve: curve.name, x: try required(key.octets(CPortcullisOpenSSL_KeyParameter_publicKey)))
            if includingPrivate {
                jwk.d = try required(key.octets(CPortcullisOpenSSL_KeyParameter_privateKey))
            }
            return jwk
        case .octet:
            throw PortcullisError(.cryptoFailure, "an asymmetric key cannot be an octet key")
        }
    }

    private func leftPadded(_ bytes: [UInt8], _ size: Int) throws(PortcullisError) -> [UInt8] {
        guard bytes.count <= size else { throw PortcullisError(.cryptoFailure, "exported coordinate is too long") }
        return [UInt8](repeating: 0, count: size - bytes.count) + bytes
    }
}
