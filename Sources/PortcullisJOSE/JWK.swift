/// A JSON Web Key (RFC 7517 §4) as data: the key type, its metadata and its parameters, with the
/// base64url parameters already decoded to bytes.
///
/// `JWK` validates structure only (types, base64url, required members for the key type). Whether
/// the key material is acceptable — a point on the curve, an RSA modulus of at least 2048 bits —
/// is decided when `PortcullisCrypto` turns it into a key.
public struct JWK: Sendable, Hashable {
    /// `kty` (RFC 7517 §4.1): `"RSA"`, `"EC"`, `"OKP"`, `"oct"` or a type this library does not know.
    public var keyType: String
    /// `kid` (RFC 7517 §4.5).
    public var keyID: String?
    /// `use` (RFC 7517 §4.2): `"sig"`, `"enc"` or another value.
    public var use: String?
    /// `key_ops` (RFC 7517 §4.3).
    public var keyOperations: [String]?
    /// `alg` (RFC 7517 §4.4).
    public var algorithm: String?
    /// `crv` for EC and OKP keys (RFC 7518 §6.2.1.1, RFC 8037 §2).
    public var curve: String?

    /// RSA modulus `n` (RFC 7518 §6.3.1.1), big-endian.
    public var n: [UInt8]?
    /// RSA public exponent `e` (RFC 7518 §6.3.1.2), big-endian.
    public var e: [UInt8]?
    /// RSA private exponent `d` (§6.3.2.1), or EC/OKP private key `d` (§6.2.2.1, RFC 8037 §2).
    public var d: [UInt8]?
    /// RSA first prime factor `p` (§6.3.2.2).
    public var p: [UInt8]?
    /// RSA second prime factor `q` (§6.3.2.3).
    public var q: [UInt8]?
    /// RSA first factor CRT exponent `dp` (§6.3.2.4).
    public var dp: [UInt8]?
    /// RSA second factor CRT exponent `dq` (§6.3.2.5).
    public var dq: [UInt8]?
    /// RSA first CRT coefficient `qi` (§6.3.2.6).
    public var qi: [UInt8]?
    /// EC x coordinate (§6.2.1.2) or OKP public key (RFC 8037 §2).
    public var x: [UInt8]?
    /// EC y coordinate (§6.2.1.3).
    public var y: [UInt8]?
    /// Symmetric key value `k` (§6.4.1).
    public var k: [UInt8]?

    /// Every member of the JSON object as read, including ones this type does not model
    /// (`x5c`, `x5t`, vendor extensions). Empty for keys built in code.
    public var json: JSONObject

    /// Creates a JWK from its parts. Parameters are raw bytes (not base64url).
    public init(
        keyType: String,
        keyID: String? = nil,
        use: String? = nil,
        keyOperations: [String]? = nil,
        algorithm: String? = nil,
        curve: String? = nil,
        n: [UInt8]? = nil, e: [UInt8]? = nil, d: [UInt8]? = nil,
        p: [UInt8]? = nil, q: [UInt8]? = nil,
        dp: [UInt8]? = nil, dq: [UInt8]? = nil, qi: [UInt8]? = nil,
        x: [UInt8]? = nil, y: [UInt8]? = nil, k: [UInt8]? = nil,
        json: JSONObject = JSONObject()
    ) {
        self.keyType = keyType
        self.keyID = keyID
        self.use = use
        self.keyOperations = keyOperations
        self.algorithm = algorithm
        self.curve = curve
        self.n = n
        self.e = e
        self.d = d
        self.p = p
        self.q = q
        self.dp = dp
        self.dq = dq
        self.qi = qi
        self.x = x
        self.y = y
        self.k = k
        self.json = json
    }

    /// `true` when the JWK carries private (or symmetric) key material.
    public var hasPrivateMaterial: Bool { d != nil || k != nil }
}
