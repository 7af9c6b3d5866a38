public import PortcullisJOSE

/// What a ``JWEDecrypter`` accepts, in one value.
///
/// ```swift
/// var configuration = DecryptionConfiguration()            // every safe algorithm
/// configuration.algorithms = [.rsaOAEP256, .ecdhES]
/// configuration.encryptions = [.a256GCM]
/// configuration.maximumDecompressedSize = 64 * 1024
/// ```
public struct DecryptionConfiguration: Sendable {
    /// The hard ceiling on `p2c`, whatever the configuration says: 100,000 iterations
    /// (CVE-2022-36083: an attacker-chosen count is an attacker-chosen amount of work).
    public static let pbes2CountCeiling = 100_000

    /// The key management algorithms a token may use; default ``JWEAlgorithm/recommended``.
    /// `RSA1_5` and `PBES2-*` are accepted only when listed here explicitly.
    public var algorithms: Set<JWEAlgorithm>
    /// The content encryption algorithms a token may use; default all of them.
    public var encryptions: Set<JWEEncryption>
    /// Tokens longer than this many bytes are `token_too_large`, before any decoding (default
    /// 65,536, the same as for signed tokens).
    public var maximumTokenSize: Int
    /// The largest plaintext a `zip: DEF` token may inflate to, inclusive (default 262,144
    /// bytes). Inflation stops as soon as this is crossed (`token_too_large`).
    public var maximumDecompressedSize: Int
    /// The largest PBES2 iteration count accepted (default and ceiling ``pbes2CountCeiling``;
    /// larger values are clamped to it).
    public var maximumPBES2Count: Int
    /// Extension header names listed in `crit` that the application processes itself.
    public var understoodCriticalHeaders: Set<String>
    /// Bounds on the header JSON.
    public var jsonLimits: JSONLimits

    /// Creates a configuration.
    public init(
        algorithms: Set<JWEAlgorithm> = Set(JWEAlgorithm.recommended),
        encryptions: Set<JWEEncryption> = Set(JWEEncryption.all)
    ) {
        self.algorithms = algorithms
        self.encryptions = encryptions
        self.maximumTokenSize = 65_536
        self.maximumDecompressedSize = 262_144
        self.maximumPBES2Count = Self.pbes2CountCeiling
        self.understoodCriticalHeaders = []
        self.jsonLimits = .default
    }

    /// `maximumPBES2Count`, never above the ceiling.
    var effectivePBES2Count: Int { min(maximumPBES2Count, Self.pbes2CountCeiling) }
}
