/// Reading and writing JWKs as JSON (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2).
extension JWK {
    /// The key types whose parameters this library models.
    static let knownKeyTypes: Set<String> = ["RSA", "EC", "OKP", "oct"]

    /// Reads a JWK from its JSON object, checking structure only.
    ///
    /// - `kty` is required and must be a string (RFC 7517 §4.1).
    /// - `kid`, `use` and `alg` must be strings; `key_ops` an array of unique strings (§4.2–4.5).
    /// - For `RSA`, `EC`, `OKP` and `oct`, every parameter of that type that is present must be a
    ///   strict base64url string, and the public ones are required: RSA `n`, `e` (RFC 7518
    ///   §6.3.1); EC `crv`, `x`, `y` (§6.2.1); OKP `crv`, `x` (RFC 8037 §2); oct `k` (§6.4.1).
    ///   An RSA private key with any of `p`, `q`, `dp`, `dq`, `qi` must have all of them and `d`
    ///   (§6.3.2); multi-prime keys (`oth`) are refused.
    /// - Keys of another `kty` are kept with their metadata and ``json``; no other checks.
    ///
    /// Key strength and curve membership are not judged here (PortcullisCrypto does that).
    /// - Throws: `malformed`, naming the member.
    public init(json: JSONObject) throws(PortcullisError) {
        guard let ktyValue = json["kty"] else {
            throw PortcullisError(.malformed, "the JWK has no \"kty\" member (RFC 7517 §4.1)", claim: "kty")
        }
        let keyType = try Self.string(ktyValue, "kty", keyID: nil)
        let keyID = try json["kid"].map { value throws(PortcullisError) in try Self.string(value, "kid", keyID: nil) }
        self.init(
            keyType: keyType,
            keyID: keyID,
            use: try json["use"].map { value throws(PortcullisError) in try Self.string(value, "use", keyID: keyID) },
            keyOperations: try Self.keyOperations(json["key_ops"], keyID: keyID),
            algorithm: try json["alg"].map { value throws(PortcullisError) in try Self.string(value, "alg", keyID: keyID) },
            json: json)
        let reader = ParameterReader(json: json, keyType: keyType, keyID: keyID)
        switch keyType {
        case "RSA":
            n = try reader.bytes("n", required: true)
            e = try reader.bytes("e", required: true)
            d = try reader.bytes("d")
            p = try reader.bytes("p")
            q = try reader.bytes("q")
            dp = try reader.bytes("dp")
            dq = try reader.bytes("dq")
            qi = try reader.bytes("qi")
            let factors = [p, q, dp, dq, qi]
            if factors.contains(where: { $0 != nil }), d == nil || factors.contains(where: { $0 == nil }) {
                throw reader.error("an RSA private JWK with any of \"p\", \"q\", \"dp\", \"dq\", \"qi\" must have all of them and \"d\" (RFC 7518 §6.3.2)", "d")
            }
            if json["oth"] != nil {
                throw reader.error("multi-prime RSA keys (\"oth\", RFC 7518 §6.3.2.7) are not supported", "oth")
            }
        case "EC":
            curve = try reader.string("crv")
            x = try reader.bytes("x", required: true)
            y = try reader.bytes("y", required: true)
            d = try reader.bytes("d")
        case "OKP":
            curve = try reader.string("crv")
            x = try reader.bytes("x", required: true)
            d = try reader.bytes("d")
        case "oct":
            k = try reader.bytes("k", required: true)
        default:
            break
        }
    }

    /// Reads a JWK from JSON text.
    public init(parsing text: String, limits: JSONLimits = .default) throws(PortcullisError) {
        try self.init(json: JSONReader.parseObject(text, limits: limits))
    }

    /// Reads a JWK from UTF-8 JSON bytes.
    public init(parsing bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(PortcullisError) {
        try self.init(json: JSONReader.parseObject(bytes, limits: limits))
    }

    /// The JWK as a JSON object: `kty`, then `kid`, `use`, `key_ops`, `alg`, `crv` when set, then
    /// the key parameters in RFC 7518 order (`n`, `e`, `x`, `y`; private: `d`, `p`, `q`, `dp`,
    /// `dq`, `qi`, `k`). Members of ``json`` that this type does not model are not written.
    /// - Parameter includingPrivate: Whether to write private parameters, including an `oct`
    ///   key's `k`. Publish JWK Sets with `false`.
    public func jsonObject(includingPrivate: Bool) -> JSONObject {
        var members: [JSONObject.Member] = [.init(name: "kty", value: .string(keyType))]
        func add(_ name: String, _ value: String?) {
            if let value { members.append(.init(name: name, value: .string(value))) }
        }
        func add(_ name: String, _ bytes: [UInt8]?) {
            if let bytes { members.append(.init(name: name, value: .string(Base64URL.encode(bytes)))) }
        }
        add("kid", keyID)
        add("use", use)
        if let keyOperations {
            members.append(.init(name: "key_ops", value: .array(keyOperations.map(JSONValue.string))))
        }
        add("alg", algorithm)
        add("crv", curve)
        add("n", n)
        add("e", e)
        add("x", x)
        add("y", y)
        if includingPrivate {
            add("d", d)
            add("p", p)
            add("q", q)
            add("dp", dp)
            add("dq", dq)
            add("qi", qi)
            add("k", k)
        }
        return JSONObject(uniqueMembers: members)
    }

    /// The input of the JWK Thumbprint (RFC 7638 §3): the required members of the key type only,
    /// in lexicographic order of their names, with no whitespace — RSA `e`, `kty`, `n`; EC `crv`,
    /// `kty`, `x`, `y`; OKP `crv`, `kty`, `x` (RFC 8037 §2); oct `k`, `kty`. The thumbprint is
    /// the base64url of a hash (usually SHA-256) of these bytes.
    /// - Throws: `malformed` when the key type is unknown or a required member is missing.
    public func thumbprintInput() throws(PortcullisError) -> [UInt8] {
        func member(_ name: String, _ bytes: [UInt8]?) throws(PortcullisError) -> JSONObject.Member {
            guard let bytes else {
                throw PortcullisError(.malformed, "the JWK has no \"\(name)\", which its thumbprint needs", claim: name, keyID: keyID)
            }
            return .init(name: name, value: .string(Base64URL.encode(bytes)))
        }
        func curveMember() throws(PortcullisError) -> JSONObject.Member {
            guard let curve else {
                throw PortcullisError(.malformed, "the JWK has no \"crv\", which its thumbprint needs", claim: "crv", keyID: keyID)
            }
            return .init(name: "crv", value: .string(curve))
        }
        let kty = JSONObject.Member(name: "kty", value: .string(keyType))
        let members: [JSONObject.Member]
        switch keyType {
        case "RSA": members = [try member("e", e), kty, try member("n", n)]
        case "EC": members = [try curveMember(), kty, try member("x", x), try member("y", y)]
        case "OKP": members = [try curveMember(), kty, try member("x", x)]
        case "oct": members = [try member("k", k), kty]
        default:
            throw PortcullisError(.malformed, "no JWK thumbprint is defined here for key type \"\(keyType)\"", claim: "kty", keyID: keyID)
        }
        return JSONObject(uniqueMembers: members).serializedBytes()
    }

    // MARK: Helpers

    static func string(_ value: JSONValue, _ name: String, keyID: String?) throws(PortcullisError) -> String {
        guard case .string(let string) = value else {
            throw PortcullisError(
                .malformed, "the JWK member \"\(name)\" must be a string, not \(value.typeName)",
                claim: name, expected: "string", actual: value.typeName, keyID: keyID)
        }
        return string
    }

    /// `key_ops`: an array of unique strings (RFC 7517 §4.3).
    static func keyOperations(_ value: JSONValue?, keyID: String?) throws(PortcullisError) -> [String]? {
        guard let value else { return nil }
        let invalid = PortcullisError(
            .malformed, "the JWK member \"key_ops\" must be an array of unique strings (RFC 7517 §4.3)",
            claim: "key_ops", keyID: keyID)
        guard case .array(let elements) = value else { throw invalid }
        var operations: [String] = []
        for element in elements {
            guard case .string(let operation) = element, !operations.contains(operation) else { throw invalid }
            operations.append(operation)
        }
        return operations
    }

    /// Reads the typed parameters of one JWK, with errors naming the member and the key.
    struct ParameterReader {
        let json: JSONObject
        let keyType: String
        let keyID: String?

        func error(_ message: String, _ member: String) -> PortcullisError {
            PortcullisError(.malformed, message, claim: member, keyID: keyID)
        }

        /// A required string member.
        func string(_ name: String) throws(PortcullisError) -> String {
            guard let value = json[name] else {
                throw error("a JWK of type \"\(keyType)\" requires the member \"\(name)\"", name)
            }
            return try JWK.string(value, name, keyID: keyID)
        }

        /// A base64url member, decoded.
        func bytes(_ name: String, required: Bool = false) throws(PortcullisError) -> [UInt8]? {
            guard let value = json[name] else {
                if required { throw error("a JWK of type \"\(keyType)\" requires the member \"\(name)\"", name) }
                return nil
            }
            let text = try JWK.string(value, name, keyID: keyID)
            do {
                return try Base64URL.decode(text)
            } catch {
                throw self.error("the JWK member \"\(name)\" is not valid base64url: \(error.message)", name)
            }
        }
    }
}
