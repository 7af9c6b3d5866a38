import PortcullisJOSE
import Testing

@Suite("JSONWriter (RFC 8259)")
struct JSONWriterTests {
    static let documents = [
        "{}",
        "[]",
        "{\"a\":[1,2.50,-0,1e-7,{\"b\":null}],\"c\":true,\"d\":false,\"e\":\"x\"}",
        #"{"s":"quote \" backslash \\ slash / \u0001 \n tab\t é 😀","n":12345678901234567890123}"#,
        #"{"z":1,"a":2,"m":{"y":[],"x":{}}}"#,
    ]

    @Test("parse → write → parse is the identity", arguments: documents)
    func roundTrip(text: String) throws {
        let value = try JSONReader.parse(text)
        let compact = value.serializedBytes()
        #expect(try JSONReader.parse(compact) == value)
        #expect(try JSONReader.parse(value.prettyPrinted()) == value)
        #expect(value.serializedString() == String(decoding: compact, as: UTF8.self))
    }

    @Test("compact output is exact: order kept, numbers as written, no whitespace")
    func compact() throws {
        let value = try JSONReader.parse(" { \"b\" : 1.50 , \"a\" : [ true , null ] } ")
        #expect(value.serializedString() == #"{"b":1.50,"a":[true,null]}"#)
    }

    @Test("string escaping")
    func escaping() {
        let value = JSONValue.string("\"\\/\u{0}\u{1F}\n\u{7F}é😀")
        #expect(value.serializedString() == #""\"\\/\u0000\u001f\u000a"# + "\u{7F}é😀\"")
    }

    @Test("pretty printing uses two-space indentation")
    func pretty() throws {
        let value = try JSONReader.parse(#"{"a":1,"b":[true,{}],"c":{"d":[]}}"#)
        let expected = """
            {
              "a": 1,
              "b": [
                true,
                {}
              ],
              "c": {
                "d": []
              }
            }
            """
        #expect(value.prettyPrinted() == expected)
    }
}
