/// A JWK Set (RFC 7517 §5): the keys of one issuer.
///
/// Reading is tolerant per key and strict per document: the document must be a JSON object with a
/// `keys` array, but an entry that is not a structurally valid JWK is recorded in ``skipped``
/// instead of failing the whole set. Keys whose `kty` this library does not know are kept (RFC
/// 7517 §5: implementations "SHOULD ignore JWKs within a JWK Set that use "kty" values that are
/// not understood"); the crypto layer ignores them.
public struct JWKSet: Sendable, Hashable {
    /// One entry of the `keys` array that could not be read.
    public struct SkippedKey: Sendable, Hashable {
        /// The entry's index in `keys`.
        public let index: Int
        /// The entry's `kid`, when it has a string one.
        public let keyID: String?
        /// Why it was skipped.
        public let error: PortcullisError

        /// Creates a record of a skipped entry.
        public init(index: Int, keyID: String?, error: PortcullisError) {
            self.index = index
            self.keyID = keyID
            self.error = error
        }
    }

    /// The keys read, in document order.
    public var keys: [JWK]
    /// The entries that were not structurally valid JWKs.
    public var skipped: [SkippedKey]

    /// A set of keys built in code.
    public init(keys: [JWK]) {
        self.keys = keys
        self.skipped = []
    }

    /// Reads a JWK Set document.
    /// - Throws: `malformed` "not a JWK Set" when the document is not JSON, not an object, or
    ///   has no `keys` array.
    public init(json: JSONObject) throws(PortcullisError) {
        guard let keysValue = json["keys"] else {
            throw PortcullisError(.malformed, "not a JWK Set: the object has no \"keys\" member (RFC 7517 §5.1)", claim: "keys")
        }
        guard case .array(let entries) = keysValue else {
            throw PortcullisError(.malformed, "not a JWK Set: \"keys\" must be an array, not \(keysValue.typeName)", claim: "keys")
        }
        var keys: [JWK] = []
        var skipped: [SkippedKey] = []
        for (index, entry) in entries.enumerated() {
            guard case .object(let object) = entry else {
                skipped.append(SkippedKey(
                    index: index, keyID: nil,
                    error: PortcullisError(.malformed, "JWK Set entry \(index) is \(entry.typeName), not an object")))
                continue
            }
            do {
                keys.append(try JWK(json: object))
            } catch {
                skipped.append(SkippedKey(index: index, keyID: object["kid"]?.stringValue, error: error))
            }
        }
        self.keys = keys
        self.skipped = skipped
    }

    /// Reads a JWK Set from JSON text.
    public init(parsing text: String, limits: JSONLimits = .default) throws(PortcullisError) {
        try self.init(json: Self.document(text, limits))
    }

    /// Reads a JWK Set from UTF-8 JSON bytes.
    public init(parsing bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(PortcullisError) {
        try self.init(json: Self.document(Array(bytes), limits))
    }

    private static func document(_ bytes: String, _ limits: JSONLimits) throws(PortcullisError) -> JSONObject {
        do {
            return try JSONReader.parseObject(bytes, limits: limits)
        } catch {
            throw PortcullisError(.malformed, "not a JWK Set: \(error.message)")
        }
    }

    private static func document(_ bytes: [UInt8], _ limits: JSONLimits) throws(PortcullisError) -> JSONObject {
        do {
            return try JSONReader.parseObject(bytes, limits: limits)
        } catch {
            throw PortcullisError(.malformed, "not a JWK Set: \(error.message)")
        }
    }

    /// The set as `{"keys": [...]}`, each key written by ``JWK/jsonObject(includingPrivate:)``.
    public func jsonObject(includingPrivate: Bool) -> JSONObject {
        JSONObject(uniqueMembers: [
            .init(name: "keys", value: .array(keys.map { .object($0.jsonObject(includingPrivate: includingPrivate)) })),
        ])
    }

    /// The keys whose `kid` is exactly `keyID`.
    public func keys(withID keyID: String) -> [JWK] {
        keys.filter { $0.keyID.map { sameCodeUnits($0, keyID) } ?? false }
    }
}
