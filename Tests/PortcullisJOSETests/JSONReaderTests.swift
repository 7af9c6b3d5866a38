import PortcullisJOSE
import Testing

@Suite("JSONReader accepts (RFC 8259)")
struct JSONReaderAcceptTests {
    static let accepted: [(String, JSONValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        (" \t\r\nfalse \t\r\n", .bool(false)),
        ("0", .number(JSONNumber(0))),
        ("-0", .number(JSONNumber(0))),
        ("123", .number(JSONNumber(123))),
        ("-123", .number(JSONNumber(-123))),
        ("1.5", .number(JSONNumber(1.5))),
        ("-0.25e+2", .number(JSONNumber(-25.0))),
        ("2E-2", .number(JSONNumber(0.02))),
        ("1.0e-400", .number(JSONNumber(0))),
        ("\"\"", .string("")),
        ("\"abc\"", .string("abc")),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{08}\u{0C}\n\r\t")),
        (#""\u0041\u00e9\u20AC""#, .string("Aé€")),
        (#""\u0000""#, .string("\u{0000}")),
        (#""\uD83D\uDE00""#, .string("😀")),
        (#""\uDBFF\uDFFF""#, .string("\u{10FFFF}")),
        ("\"é€😀\u{10FFFF}\"", .string("é€😀\u{10FFFF}")),
        ("\"\u{7F}\"", .string("\u{7F}")),
        ("[]", .array([])),
        ("[ ]", .array([])),
        ("[1, \"a\", null, [true]]", .array([.number(JSONNumber(1)), .string("a"), .null, .array([.bool(true)])])),
        ("{}", .object(JSONObject())),
        ("{ \"a\" : 1 , \"b\":{\"c\":[]}}", .object(JSONObject(["a": .number(JSONNumber(1)), "b": .object(JSONObject(["c": .array([])]))]))),
        // Names that differ only by Unicode normalization are different names (RFC 8259 §8.3).
        ("{\"\u{E9}\":1,\"e\u{301}\":2}", .object(JSONObject(uniqueMembers: [
            .init(name: "\u{E9}", value: .number(JSONNumber(1))), .init(name: "e\u{301}", value: .number(JSONNumber(2))),
        ]))),
    ]

    @Test("accepted documents", arguments: accepted)
    func accepts(text: String, expected: JSONValue) throws {
        let value = try JSONReader.parse(text)
        #expect(value == expected)
        #expect(try JSONReader.parse(Array(text.utf8)) == expected)
    }

    @Test("number details: text kept, int64 only for integer literals that fit")
    func numbers() throws {
        func number(_ text: String) throws -> JSONNumber {
            try #require(try JSONReader.parse(text).numberValue)
        }
        #expect(try number("9223372036854775807").int64Value == .max)
        #expect(try number("-9223372036854775808").int64Value == .min)
        #expect(try number("9223372036854775808").int64Value == nil)
        #expect(try number("9223372036854775808").doubleValue == 9_223_372_036_854_775_808)
        #expect(try number("-9223372036854775809").int64Value == nil)
        #expect(try number("1.0").int64Value == nil)
        #expect(try number("1e2").int64Value == nil)
        #expect(try number("1e2").doubleValue == 100)
        #expect(try number("1300819380").int64Value == 1_300_819_380)
        #expect(try number("1.10").text == "1.10")
        #expect(try number("-0").text == "-0")
        // Integer literals keep their exact text (the reader derives it from the value).
        for literal in ["0", "7", "-7", "1300819380", "-9007199254740992", "9007199254740993", "-9223372036854775808"] {
            #expect(try number(literal).text == literal)
        }
        #expect(try number("9007199254740993").doubleValue == 9_007_199_254_740_992)
        #expect(try number("0.1").doubleValue == 0.1)
        #expect(try number("1.7976931348623157e308").doubleValue == .greatestFiniteMagnitude)
    }

    @Test("depth exactly at the limit is accepted")
    func depthAtLimit() throws {
        let limits = JSONLimits(maxDepth: 32)
        let arrays = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        _ = try JSONReader.parse(arrays, limits: limits)
        let objects = String(repeating: "{\"a\":", count: 31) + "{}" + String(repeating: "}", count: 31)
        _ = try JSONReader.parse(objects, limits: limits)
    }

    @Test("64-character number accepted at the default limit")
    func numberAtLimit() throws {
        let text = "1." + String(repeating: "5", count: 62)
        #expect(text.utf8.count == 64)
        _ = try JSONReader.parse(text)
    }

    @Test("names sharing an 8-byte prefix, and known names, are told apart")
    func fingerprints() throws {
        let object = try JSONReader.parseObject(#"{"abcdefghX":1,"abcdefghY":2,"abcdefgh":3,"alg":4,"al":5,"algo":6,"client_id":7,"client_ids":8}"#)
        #expect(object.names == ["abcdefghX", "abcdefghY", "abcdefgh", "alg", "al", "algo", "client_id", "client_ids"])
        #expect(object["alg"] == .number(JSONNumber(4)))
        #expect(object["client_ids"] == .number(JSONNumber(8)))
    }

    @Test("parseObject returns the members in document order")
    func parseObject() throws {
        let object = try JSONReader.parseObject("{\"z\":1,\"a\":2,\"m\":3}")
        #expect(object.names == ["z", "a", "m"])
        #expect(object["a"] == .number(JSONNumber(2)))
        #expect(object["missing"] == nil)
    }

    @Test("large objects use the set path and still find duplicates")
    func largeObjects() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }
        let object = try JSONReader.parseObject("{" + members.joined(separator: ",") + "}")
        #expect(object.count == 40)
        #expect(object["k39"] == .number(JSONNumber(39)))
        let duplicate = "{" + (members + ["\"k7\":0"]).joined(separator: ",") + "}"
        let error = #expect(throws: PortcullisError.self) { try JSONReader.parseObject(duplicate) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("duplicate") == true)
        // Canonically equivalent but different names are not duplicates, even past the threshold.
        let equivalent = "{" + (members + ["\"\u{E9}\":1", "\"e\u{301}\":2"]).joined(separator: ",") + "}"
        #expect(try JSONReader.parseObject(equivalent).count == 42)
        let exactAfterEquivalent = "{" + (members + ["\"\u{E9}\":1", "\"e\u{301}\":2", "\"e\u{301}\":3"]).joined(separator: ",") + "}"
        #expect(throws: PortcullisError.self) { try JSONReader.parseObject(exactAfterEquivalent) }
    }
}

@Suite("JSONReader rejects (RFC 8259, strict)")
struct JSONReaderRejectTests {
    static let rejected: [(String, String)] = [
        ("", "empty input"),
        ("   ", "whitespace only"),
        ("\u{FEFF}{}", "byte order mark"),
        ("{} {}", "two values"),
        ("{}x", "trailing data"),
        ("1 2", "two numbers"),
        ("{\"a\":1} // c", "line comment"),
        ("/* c */ {}", "block comment"),
        ("[1,]", "trailing comma in array"),
        ("{\"a\":1,}", "trailing comma in object"),
        ("[,1]", "leading comma"),
        ("[1 2]", "missing comma"),
        ("{\"a\" 1}", "missing colon"),
        ("{a:1}", "unquoted name"),
        ("{'a':1}", "single quotes"),
        ("{1:1}", "number as a name"),
        ("[1", "unterminated array"),
        ("{\"a\":1", "unterminated object"),
        ("\"abc", "unterminated string"),
        ("01", "leading zero"),
        ("-01", "negative leading zero"),
        ("00", "double zero"),
        ("+1", "plus sign"),
        (".5", "bare fraction"),
        ("1.", "missing fraction digits"),
        ("1.e5", "missing fraction digits before exponent"),
        ("1e", "missing exponent digits"),
        ("1e+", "missing exponent digits after sign"),
        ("-", "lone minus"),
        ("- 1", "space after minus"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("0x10", "hexadecimal"),
        ("1e309", "overflow to +inf"),
        ("-1e309", "overflow to -inf"),
        (String(repeating: "9", count: 65), "65-digit number"),
        ("tru", "truncated literal"),
        ("True", "capitalised literal"),
        ("nul", "truncated null"),
        ("nulll", "literal with trailing data"),
        ("\"a\u{01}b\"", "control character U+0001"),
        ("\"a\nb\"", "raw line feed"),
        ("\"a\tb\"", "raw tab"),
        ("\"\u{1F}\"", "control character U+001F"),
        (#""\x41""#, "invalid escape \\x"),
        (#""\a""#, "invalid escape \\a"),
        (#""\'""#, "invalid escape \\'"),
        (#""\U0041""#, "capital U escape"),
        (#""\u004""#, "short \\u escape"),
        (#""\u00G1""#, "non-hex \\u escape"),
        (#""\uD83D""#, "lone high surrogate"),
        (#""\uD83Dx""#, "high surrogate followed by text"),
        (#""\uDE00""#, "lone low surrogate"),
        (#""\uDE00\uD83D""#, "mis-ordered surrogates"),
        (#""\uD83D\uD83D""#, "two high surrogates"),
        (#""\uD83D\u0041""#, "high surrogate then non-surrogate"),
        ("{\"a\":1,\"a\":2}", "duplicate member"),
        ("{\"a\":1,\"b\":2,\"a\":3}", "duplicate member not adjacent"),
        (#"{"a":1,"\u0061":2}"#, "duplicate after unescaping"),
        (#"{"alg":1,"\u0061lg":2}"#, "duplicate known name, second escaped"),
        (#"{"client_id":1,"client\u005fid":2}"#, "duplicate long name, second escaped"),
        (#"{"abcdefghij":1,"abcdefghij":2}"#, "duplicate long name"),
        (#"{"tenant\u0031":1,"tenant1":2}"#, "duplicate, first escaped"),
        ("{\"x\":{\"a\":1,\"a\":1}}", "nested duplicate"),
    ]

    @Test("rejected documents", arguments: rejected)
    func rejects(text: String, reason: String) {
        let error = #expect(throws: PortcullisError.self, "\(reason)") { try JSONReader.parse(text) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("byte offset") == true)
    }

    /// Invalid UTF-8 inside strings (RFC 3629, RFC 8259 §8.1).
    static let invalidUTF8: [([UInt8], String)] = [
        ([0x80], "lone continuation byte"),
        ([0xC0, 0x80], "overlong NUL"),
        ([0xC1, 0xBF], "overlong two-byte"),
        ([0xE0, 0x80, 0x80], "overlong three-byte"),
        ([0xF0, 0x80, 0x80, 0x80], "overlong four-byte"),
        ([0xED, 0xA0, 0x80], "encoded high surrogate U+D800"),
        ([0xED, 0xBF, 0xBF], "encoded low surrogate U+DFFF"),
        ([0xF4, 0x90, 0x80, 0x80], "above U+10FFFF"),
        ([0xF5, 0x80, 0x80, 0x80], "lead byte F5"),
        ([0xFF], "byte FF"),
        ([0xC3], "truncated two-byte"),
        ([0xE2, 0x82], "truncated three-byte"),
        ([0xE2, 0x28, 0xA1], "bad continuation"),
    ]

    @Test("invalid UTF-8 in strings", arguments: invalidUTF8)
    func rejectsInvalidUTF8(bytes: [UInt8], reason: String) {
        let document = Array("{\"a\":\"x".utf8) + bytes + Array("\"}".utf8)
        let error = #expect(throws: PortcullisError.self, "\(reason)") { try JSONReader.parse(document) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("UTF-8") == true)
        let inName = Array("{\"".utf8) + bytes + Array("\":1}".utf8)
        #expect(throws: PortcullisError.self, "\(reason) in a name") { try JSONReader.parse(inName) }
    }

    @Test("invalid UTF-8 outside strings")
    func rejectsBytesOutsideStrings() {
        #expect(throws: PortcullisError.self) { try JSONReader.parse([0xC3, 0xA9]) }
        #expect(throws: PortcullisError.self) { try JSONReader.parse(Array("[1]".utf8) + [0xFF]) }
    }

    @Test("depth over the limit is rejected before descending")
    func depthOverLimit() {
        let limits = JSONLimits(maxDepth: 32)
        let arrays = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        let error = #expect(throws: PortcullisError.self) { try JSONReader.parse(arrays, limits: limits) }
        #expect(error?.message.contains("nesting") == true)
        let objects = String(repeating: "{\"a\":", count: 32) + "{}" + String(repeating: "}", count: 32)
        #expect(throws: PortcullisError.self) { try JSONReader.parse(objects, limits: limits) }
    }

    @Test("a million opening brackets fail fast without exhausting the stack")
    func hugeNesting() {
        let text = String(repeating: "[", count: 1_000_000)
        #expect(throws: PortcullisError.self) { try JSONReader.parse(text, limits: JSONLimits(maxDepth: 1_000_000)) }
        #expect(JSONLimits(maxDepth: 1_000_000).maxDepth == JSONLimits.depthCeiling)
    }

    @Test("string, member and number limits")
    func limits() {
        let limits = JSONLimits(maxNumberLength: 5, maxStringLength: 4, maxMembers: 2)
        #expect(throws: PortcullisError.self) { try JSONReader.parse("123456", limits: limits) }
        #expect((try? JSONReader.parse("12345", limits: limits)) != nil)
        #expect(throws: PortcullisError.self) { try JSONReader.parse("\"abcde\"", limits: limits) }
        #expect((try? JSONReader.parse("\"abcd\"", limits: limits)) != nil)
        #expect(throws: PortcullisError.self) { try JSONReader.parse("[1,2,3]", limits: limits) }
        #expect(throws: PortcullisError.self) { try JSONReader.parse("{\"a\":1,\"b\":2,\"c\":3}", limits: limits) }
        #expect((try? JSONReader.parse("{\"a\":1,\"b\":2}", limits: limits)) != nil)
    }

    @Test("parseObject requires a top-level object", arguments: ["[]", "\"a\"", "1", "null", "", "[{}]"])
    func parseObjectRejects(text: String) {
        let error = #expect(throws: PortcullisError.self) { try JSONReader.parseObject(text) }
        #expect(error?.code == .malformed)
    }

    @Test("messages name the byte offset")
    func offsets() {
        let error = #expect(throws: PortcullisError.self) { try JSONReader.parse("{\"a\":1,\"a\":2}") }
        #expect(error?.message.contains("duplicate member name \"a\"") == true)
        #expect(error?.message.contains("byte offset 7") == true)
        let utf8 = #expect(throws: PortcullisError.self) { try JSONReader.parse([0x22, 0x61, 0xC0, 0x80, 0x22]) }
        #expect(utf8?.message.contains("byte offset 2") == true)
    }
}
