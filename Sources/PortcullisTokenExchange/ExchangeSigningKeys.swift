public import PortcullisJOSE
public import PortcullisCrypto
public import PortcullisJWT
import Synchronization

/// The service's signing keys with rotation: one current key signs; the previous keys stay in
/// the published JWK Set until tokens signed with them have expired, so resource servers that
/// refresh the JWK Set keep verifying across a rotation.
///
/// ```swift
/// let keys = try ExchangeSigningKeys(algorithm: .es256)
/// try keys.rotate()                  // a new current key; the old one is still published
/// let jwks = try keys.jwks()         // {"keys": [new, old]}
/// ```
public final class ExchangeSigningKeys: Sendable {
    /// The algorithm every key signs with.
    public let algorithm: JWSAlgorithm
    /// How many previous keys stay published after a rotation.
    public let retainedPreviousKeys: Int
    private let state: Mutex<State>

    private struct State: Sendable {
        var signer: JWTSigner
        var published: [VerificationKey]   // current first, then previous keys, newest first
    }

    /// A key set with a freshly generated current key.
    /// - Parameters:
    ///   - algorithm: An asymmetric JWS algorithm (a published HMAC key would be a published secret).
    ///   - retainedPreviousKeys: Previous keys kept published after rotation (default 2).
    /// - Throws: `invalid_key` for an HMAC algorithm; `crypto_failure` when generation fails.
    public init(algorithm: JWSAlgorithm = .es256, retainedPreviousKeys: Int = 2) throws(PortcullisError) {
        let (signer, key) = try Self.generate(algorithm)
        self.algorithm = algorithm
        self.retainedPreviousKeys = max(0, retainedPreviousKeys)
        self.state = Mutex(State(signer: signer, published: [key]))
    }

    /// A key set around an existing private key (loaded from a secret store) and the public keys
    /// of earlier ones.
    /// - Throws: `invalid_key` when `current` cannot sign `algorithm`.
    public init(current: CryptoKey, keyID: String, algorithm: JWSAlgorithm, previous: [VerificationKey] = []) throws(PortcullisError) {
        guard algorithm.family != .hmac else {
            throw PortcullisError(.invalidKey, "the exchange service signs with an asymmetric algorithm, not \(algorithm.name)")
        }
        let signer = try JWTSigner(key: current, algorithm: algorithm, keyID: keyID)
        let key = VerificationKey(current, keyID: keyID, algorithm: algorithm, use: "sig")
        self.algorithm = algorithm
        self.retainedPreviousKeys = previous.count
        self.state = Mutex(State(signer: signer, published: [key] + previous))
    }

    /// Makes a new current key; the old current key becomes the newest previous key, and the
    /// oldest beyond ``retainedPreviousKeys`` is dropped from the JWK Set.
    public func rotate() throws(PortcullisError) {
        let (signer, key) = try Self.generate(algorithm)
        let keep = retainedPreviousKeys
        state.withLock { state in
            state.signer = signer
            state.published = [key] + state.published.prefix(keep)
        }
    }

    /// The `kid` of the current key.
    public var currentKeyID: String { state.withLock { $0.signer.keyID ?? "" } }

    /// The keys that verify tokens signed now or before the last rotations.
    public var keySet: KeySet { KeySet(state.withLock { $0.published }) }

    /// Signs `claims` with the current key (`typ` `at+jwt`, RFC 9068 §2.1).
    public func sign(_ claims: JSONObject, type: String = "at+jwt") throws(PortcullisError) -> String {
        let signer = state.withLock { $0.signer }
        return try signer.sign(claims, type: type)
    }

    /// The public JWK Set (RFC 7517 §5): current key first, each with `kid`, `alg` and `use: sig`.
    public func jwks() throws(PortcullisError) -> JSONObject {
        var jwks: [JWK] = []
        for key in state.withLock({ $0.published }) {
            var jwk = try key.key.jwk()
            jwk.keyID = key.keyID
            jwk.algorithm = key.algorithmName
            jwk.use = "sig"
            jwks.append(jwk)
        }
        return JWKSet(keys: jwks).jsonObject(includingPrivate: false)
    }

    private static func generate(_ algorithm: JWSAlgorithm) throws(PortcullisError) -> (JWTSigner, VerificationKey) {
        guard algorithm.family != .hmac else {
            throw PortcullisError(.invalidKey, "the exchange service signs with an asymmetric algorithm, not \(algorithm.name)")
        }
        let key = try CryptoKey.generate(for: algorithm)
        let keyID = "tx-" + Base64URL.encode(try SecureRandom.bytes(9))
        return (try JWTSigner(key: key, algorithm: algorithm, keyID: keyID),
                VerificationKey(key, keyID: keyID, algorithm: algorithm, use: "sig"))
    }
}
