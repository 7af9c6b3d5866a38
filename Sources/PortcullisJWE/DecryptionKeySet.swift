public import PortcullisJOSE
public import PortcullisCrypto

/// The keys a decrypter may use, and the rules that choose one for a token.
///
/// Built from a JWK Set of private keys. Selection follows the Portcullis contract, exactly as
/// strict as for signatures: by `kid` when the token has one (and only if that key fits),
/// otherwise the single key that fits; anything else is `key_not_found`, never a fallback.
/// Signature keys (`use: sig`) and public keys are skipped: signature ``KeySet``s skip
/// `use: enc` keys, so the two sets never share a key.
public struct DecryptionKeySet: Sendable {
    /// A JWK that was not loaded, and why.
    public struct SkippedKey: Sendable, CustomStringConvertible {
        /// The key's position in the JWK Set's `keys` array.
        public let index: Int
        /// Its `kid`, when it has one.
        public let keyID: String?
        /// Why it was skipped.
        public let reason: String
        /// `true` when the skip deserves a warning (a broken key of a known type).
        public let isWarning: Bool

        /// A one-line explanation.
        public var description: String {
            "\(keyID.map { "key \"\($0)\"" } ?? "key #\(index)") skipped: \(reason)"
        }
    }

    /// The usable keys, in set order.
    public let keys: [DecryptionKey]
    /// The entries that were not loaded.
    public let skipped: [SkippedKey]
    /// `kid`s of rejected (broken) entries: a token naming one is refused.
    private let rejectedKeyIDs: Set<String>

    /// A key set from keys built in code.
    public init(_ keys: [DecryptionKey]) {
        self.keys = keys
        self.skipped = []
        self.rejectedKeyIDs = []
    }

    /// Loads every private encryption key of a JWK Set and records the rest in ``skipped``.
    public init(jwks: JWKSet) {
        var keys: [DecryptionKey] = []
        var skipped = jwks.skipped.map {
            SkippedKey(index: $0.index, keyID: $0.keyID, reason: $0.error.message, isWarning: true)
        }
        var parsedIndex = 0
        for position in 0..<(jwks.keys.count + jwks.skipped.count) where !jwks.skipped.contains(where: { $0.index == position }) {
            let jwk = jwks.keys[parsedIndex]
            parsedIndex += 1
            if let use = jwk.use, use != "enc" {
                skipped.append(SkippedKey(index: position, keyID: jwk.keyID, reason: "its use is \"\(use)\", not \"enc\"", isWarning: false))
                continue
            }
            guard ["RSA", "EC", "OKP", "oct"].contains(jwk.keyType) else {
                skipped.append(SkippedKey(index: position, keyID: jwk.keyID, reason: "key type \"\(jwk.keyType)\" is not supported", isWarning: false))
                continue
            }
            guard jwk.hasPrivateMaterial else {
                skipped.append(SkippedKey(index: position, keyID: jwk.keyID, reason: "it is a public key", isWarning: false))
                continue
            }
            do {
                keys.append(try DecryptionKey(jwk: jwk))
            } catch {
                skipped.append(SkippedKey(index: position, keyID: jwk.keyID, reason: "\(error.code.rawValue): \(error.message)", isWarning: true))
            }
        }
        self.keys = keys
        self.skipped = skipped.sorted { $0.index < $1.index }
        self.rejectedKeyIDs = Set(skipped.filter(\.isWarning).compactMap(\.keyID))
    }

    /// Parses a JWK Set document (RFC 7517 §5) and loads its usable keys.
    /// - Throws: `malformed` when the document is not a JWK Set.
    public init(jwksJSON: some Collection<UInt8>) throws(PortcullisError) {
        self.init(jwks: try JWKSet(parsing: jwksJSON))
    }

    /// Chooses the key for a token.
    /// - Throws: `key_not_found` when no single key fits.
    public func resolveKey(
        keyID: String?, algorithm: JWEAlgorithm, encryption: JWEEncryption, ephemeralCurve: EncryptionKey.Curve? = nil
    ) throws(PortcullisError) -> DecryptionKey {
        func notFound(_ message: String) -> PortcullisError {
            PortcullisError(.keyNotFound, message, keyID: keyID, algorithm: algorithm.name)
        }
        let candidates: [DecryptionKey]
        if let keyID {
            guard !rejectedKeyIDs.contains(keyID) else {
                throw notFound("a key with kid \"\(keyID)\" in the key set was rejected; with two keys of that id the choice is ambiguous")
            }
            candidates = keys.filter { $0.keyID == keyID }
            guard !candidates.isEmpty else { throw notFound("no decryption key with kid \"\(keyID)\"") }
        } else {
            candidates = keys
        }
        let fitting = candidates.filter { $0.fits(algorithm, encryption: encryption, ephemeralCurve: ephemeralCurve) }
        guard fitting.count == 1, let chosen = fitting.first else {
            if fitting.count > 1 {
                throw notFound(keyID == nil
                    ? "the token has no kid and \(fitting.count) keys fit \(algorithm.name); a kid is needed to choose"
                    : "several keys have kid \"\(keyID ?? "")\" and fit \(algorithm.name); refusing to guess")
            }
            if let keyID, let reason = candidates.first?.misfitReason(algorithm, encryption: encryption, ephemeralCurve: ephemeralCurve) {
                throw notFound("the key with kid \"\(keyID)\" does not fit \(algorithm.name): \(reason)")
            }
            throw notFound("the token has no kid and no decryption key fits \(algorithm.name) with \(encryption.name)")
        }
        return chosen
    }
}
