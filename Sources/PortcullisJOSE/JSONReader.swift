/// A strict reader of JSON texts (RFC 8259) for JOSE headers, claim sets and JWKs.
///
/// The reader accepts exactly one JSON value, optionally surrounded by JSON whitespace (§2), and
/// rejects everything RFC 8259 does not define or leaves to interoperability luck:
/// - trailing data, comments, trailing commas, a byte order mark;
/// - numbers with leading zeros, a `+` sign, `NaN`/`Infinity`, a bare `.`; numbers longer than
///   ``JSONLimits/maxNumberLength`` or too large for a finite `Double` (`1e309`, §6);
/// - unescaped control characters in strings, unknown escapes, lone or mis-ordered UTF-16
///   surrogates in `\u` escapes (§7), and invalid UTF-8 — overlong forms, encoded surrogates,
///   code points above U+10FFFF (§8.1). Nothing is ever replaced with U+FFFD;
/// - **duplicate member names** in an object, compared code unit by code unit after unescaping
///   (§4 says names "SHOULD be unique"; RFC 7515 §5.2 and RFC 7519 §4 allow rejecting them, and
///   we do, because two readers that keep different duplicates disagree on what a token says);
/// - nesting deeper than ``JSONLimits/maxDepth``, checked before descending, so the stack is
///   bounded whatever the input.
///
/// Every failure is a ``PortcullisError`` with code `malformed` and a message naming the byte
/// offset of the problem.
public enum JSONReader {
    /// Reads one JSON value from UTF-8 bytes. The fast path the other overloads use.
    public static func parse(_ bytes: ArraySlice<UInt8>, limits: JSONLimits = .default) throws(PortcullisError) -> JSONValue {
        var parser = JSONParser(source: bytes, limits: limits)
        return try parser.parseDocument(bytes.span)
    }

    /// Reads one JSON value from UTF-8 bytes.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(PortcullisError) -> JSONValue {
        try parse(bytes[...], limits: limits)
    }

    /// Reads one JSON value from any collection of UTF-8 bytes (copied once).
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(PortcullisError) -> JSONValue {
        try parse(Array(bytes)[...], limits: limits)
    }

    /// Reads one JSON value from text.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(PortcullisError) -> JSONValue {
        try parse(Array(text.utf8)[...], limits: limits)
    }

    /// Reads a JSON text whose top-level value must be an object (as JOSE headers, JWT claim
    /// sets, JWKs and JWK Sets are). The fast path the other overloads use.
    public static func parseObject(_ bytes: ArraySlice<UInt8>, limits: JSONLimits = .default) throws(PortcullisError) -> JSONObject {
        var parser = JSONParser(source: bytes, limits: limits)
        return try parser.parseObjectDocument(bytes.span)
    }

    /// Reads a JSON text whose top-level value must be an object.
    public static func parseObject(_ bytes: [UInt8], limits: JSONLimits = .default) throws(PortcullisError) -> JSONObject {
        try parseObject(bytes[...], limits: limits)
    }

    /// Reads a JSON text whose top-level value must be an object (copied once).
    public static func parseObject(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(PortcullisError) -> JSONObject {
        try parseObject(Array(bytes)[...], limits: limits)
    }

    /// Reads a JSON text whose top-level value must be an object.
    public static func parseObject(_ text: String, limits: JSONLimits = .default) throws(PortcullisError) -> JSONObject {
        try parseObject(Array(text.utf8)[...], limits: limits)
    }
}
