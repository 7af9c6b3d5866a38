public import PortcullisJOSE
public import PortcullisCrypto

/// The keys a verifier trusts, and the rules that choose one for a token.
///
/// Selection (Portcullis design contract, RFC 7515 §4.1.4, RFC 8725 §3.1):
/// - A token with `kid` uses the key with that id — and only if it fits the algorithm.
/// - A token without `kid` uses the single key that fits the algorithm.
/// - Anything else (unknown `kid`, a `kid` naming a key that does not fit, several fitting keys) is
///   `key_not_found`. There is never a fallback to another key.
///
/// `jku`, `x5u`, `x5c` and embedded `jwk` headers are never consulted: keys come only from here.
public struct KeySet: Sendable {
    /// A JWK that was not loaded, and why.
    public struct SkippedKey: Sendable, CustomStringConvertible {
        /// Why a key was skipped.
        public enum Reason: Sendable {
            /// A `kty`, curve or `alg` this library does not understand for signatures. Skipped
            /// silently, as RFC 7517 §5 asks.
            case unsupported(String)
            /// An encryption key (`use: enc`); signatures never use it.
            case encryptionKey
            /// A key of a known type that is malformed or too weak. Worth a warning.
            case rejected(PortcullisError)
        }

        /// The key's position in the JWK Set's `keys` array.
        public let index: Int
        /// Its `kid`, when it has one.
        public let keyID: String?
        /// Why it was skipped.
        public let reason: Reason

        /// `true` when the skip deserves a warning (a broken key of a known type).
        public var isWarning: Bool { if case .rejected = reason { true } else { false } }

        /// A one-line explanation.
        public var description: String {
            let name = keyID.map { "key \"\($0)\"" } ?? "key #\(index)"
            switch reason {
            case .unsupported(let what): return "\(name) skipped: \(what)"
            case .encryptionKey: return "\(name) skipped: it is an encryption key (use: enc)"
            case .rejected(let error): return "\(name) skipped: \(error.code.rawValue): \(error.message)"
            }
        }
    }

    /// The usable keys, in set order.
    public let keys: [VerificationKey]
    /// The keys that were not loaded from a JWK Set.
    public let skipped: [SkippedKey]

    /// A key set from keys built in code.
    public init(_ keys: [VerificationKey]) {
        self.keys = keys
        self.skipped = []
    }

    /// Loads every usable key of a JWK Set and records the rest in ``skipped``.
    ///
    /// Real providers publish encryption keys beside signing keys, so unusable entries never fail
    /// the whole set. Check ``keys`` for emptiness if a set without usable keys is an error for you.
    public init(jwks: JWKSet) {
        var keys: [VerificationKey] = []
        var skipped: [SkippedKey] = jwks.skipped.map {
            SkippedKey(index: $0.index, keyID: $0.keyID, reason: .rejected($0.error))
        }
        for (index, jwk) in jwks.keys.enumerated() {
            let position = KeySet.position(of: index, in: jwks)
            if let reason = KeySet.unsupportedReason(jwk) {
                skipped.append(SkippedKey(index: position, keyID: jwk.keyID, reason: reason))
                continue
            }
            do {
                keys.append(try VerificationKey(jwk: jwk))
            } catch {
                skipped.append(SkippedKey(index: position, keyID: jwk.keyID, reason: .rejected(error)))
            }
        }
        self.keys = keys
        self.skipped = skipped.sorted { $0.index < $1.index }
    }

    /// Parses a JWK Set document (RFC 7517 §5) and loads its usable keys.
    /// - Throws: `.malformed` when the document is not a JWK Set.
    public init(jwksJSON: some Collection<UInt8>) throws(PortcullisError) {
        self.init(jwks: try JWKSet(parsing: jwksJSON))
    }

    /// Chooses the key for a token, following the rules above.
    /// - Parameters:
    ///   - keyID: The token's `kid`, if any.
    ///   - algorithm: The token's (already allowed) algorithm.
    /// - Throws: `.keyNotFound` when no single key fits; `.invalidKey` when the chosen key is too
    ///   weak for the algorithm (for example a 256-bit HMAC key and HS512).
    public func resolveKey(keyID: String?, algorithm: JWSAlgorithm) throws(PortcullisError) -> VerificationKey {
        let chosen: VerificationKey
        if let keyID {
            var match: VerificationKey?
            var misfit: String?
            var fitting = 0
            for key in keys where key.keyID == keyID {
                if key.fits(algorithm) {
                    fitting += 1
                    match = key
                } else if misfit == nil {
                    misfit = key.misfitReason(for: algorithm)
                }
            }
            guard fitting == 1, let match else {
                if fitting > 1 {
                    throw PortcullisError(
                        .keyNotFound, "several keys have kid \"\(keyID)\" and fit \(algorithm.name); refusing to guess",
                        keyID: keyID, algorithm: algorithm.name)
                }
                if let misfit {
                    throw PortcullisError(
                        .keyNotFound, "the key with kid \"\(keyID)\" does not fit \(algorithm.name): \(misfit)",
                        keyID: keyID, algorithm: algorithm.name)
                }
                throw PortcullisError(
                    .keyNotFound, "no key with kid \"\(keyID)\" in the key set (known: \(knownKeyIDs))",
                    keyID: keyID, algorithm: algorithm.name)
            }
            chosen = match
        } else {
            var match: VerificationKey?
            var fitting = 0
            for key in keys where key.fits(algorithm) {
                fitting += 1
                match = key
            }
            guard fitting == 1, let match else {
                let message = fitting == 0
                    ? "the token has no kid and no key in the set fits \(algorithm.name)"
                    : "the token has no kid and \(fitting) keys fit \(algorithm.name); a kid is needed to choose"
                throw PortcullisError(.keyNotFound, message, algorithm: algorithm.name)
            }
            chosen = match
        }
        try chosen.key.checkUsable(with: algorithm)
        return chosen
    }

    private var knownKeyIDs: String {
        let ids = keys.compactMap(\.keyID)
        return ids.isEmpty ? "none" : ids.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// The index in the original `keys` array of the `index`-th parsed key: skipped malformed
    /// entries are not in `jwks.keys`, so positions are recovered around them.
    private static func position(of index: Int, in jwks: JWKSet) -> Int {
        var position = index
        for skip in jwks.skipped.sorted(by: { $0.index < $1.index }) where skip.index <= position {
            position += 1
        }
        return position
    }

    /// Keys that are not signature keys this library understands: skipped without a warning.
    private static func unsupportedReason(_ jwk: JWK) -> SkippedKey.Reason? {
        if jwk.use == "enc" { return .encryptionKey }
        switch jwk.keyType {
        case "RSA", "oct":
            break
        case "EC":
            guard let name = jwk.curve, let curve = JWKCurve(name: name), !curve.isOctetKeyPair else {
                return .unsupported("EC curve \(jwk.curve.map { "\"\($0)\"" } ?? "(none)") is not supported")
            }
        case "OKP":
            guard let name = jwk.curve, let curve = JWKCurve(name: name), curve.isOctetKeyPair else {
                return .unsupported("OKP curve \(jwk.curve.map { "\"\($0)\"" } ?? "(none)") is not a signature curve")
            }
        default:
            return .unsupported("key type \"\(jwk.keyType)\" is not supported")
        }
        if let alg = jwk.algorithm, JWSAlgorithm(name: alg) == nil {
            return .unsupported("its alg \"\(alg)\" is not a supported signature algorithm")
        }
        return nil
    }
}
