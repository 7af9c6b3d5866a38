/// Bounds that ``JSONReader`` enforces while reading untrusted JSON.
///
/// RFC 8259 §9 lets a parser "set limits on the size of texts", "the maximum depth of nesting",
/// "the range and precision of numbers" and "the length and character contents of strings".
/// Portcullis sets all of them, so that a hostile header, claim set or JWK Set cannot make the
/// reader use unbounded time, memory or stack.
public struct JSONLimits: Sendable, Hashable {
    /// The hard ceiling on ``maxDepth``, whatever the caller asks for: the reader recurses once
    /// per nesting level, and this keeps the stack use small on any thread.
    public static let depthCeiling = 256

    /// Maximum nesting of arrays and objects; a top-level object is depth 1. Clamped to
    /// ``depthCeiling``.
    public var maxDepth: Int {
        didSet { maxDepth = min(max(maxDepth, 0), Self.depthCeiling) }
    }
    /// Maximum length of a number literal, in characters (bytes).
    public var maxNumberLength: Int
    /// Maximum length of a string literal as written (escapes included, quotes excluded), in bytes.
    public var maxStringLength: Int
    /// Maximum number of members in one object and of elements in one array.
    public var maxMembers: Int

    /// Creates limits. `maxDepth` is clamped to ``depthCeiling``.
    public init(maxDepth: Int = 32, maxNumberLength: Int = 64, maxStringLength: Int = 65_536, maxMembers: Int = 10_000) {
        self.maxDepth = min(max(maxDepth, 0), Self.depthCeiling)
        self.maxNumberLength = maxNumberLength
        self.maxStringLength = maxStringLength
        self.maxMembers = maxMembers
    }

    /// Depth 32, numbers of at most 64 characters, strings of at most 65,536 bytes, at most
    /// 10,000 members per object or elements per array.
    public static let `default` = JSONLimits()
}
