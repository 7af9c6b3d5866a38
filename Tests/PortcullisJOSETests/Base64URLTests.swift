import PortcullisJOSE
import Testing

@Suite("Base64URL (RFC 7515 §2, RFC 4648 §5)")
struct Base64URLTests {
    /// RFC 4648 §10 test vectors (unpadded) plus vectors that use the URL-safe characters.
    static let vectors: [(String, [UInt8])] = [
        ("", []),
        ("Zg", Array("f".utf8)),
        ("Zm8", Array("fo".utf8)),
        ("Zm9v", Array("foo".utf8)),
        ("Zm9vYg", Array("foob".utf8)),
        ("Zm9vYmE", Array("fooba".utf8)),
        ("Zm9vYmFy", Array("foobar".utf8)),
        ("-_8", [0xFB, 0xFF]),
        ("____", [0xFF, 0xFF, 0xFF]),
        ("----", [0xFB, 0xEF, 0xBE]),
        ("AA", [0x00]),
        ("AAA", [0x00, 0x00]),
    ]

    @Test("RFC 4648 vectors encode", arguments: vectors)
    func encodes(text: String, bytes: [UInt8]) {
        #expect(Base64URL.encode(bytes) == text)
        #expect(Base64URL.encodeToBytes(bytes) == Array(text.utf8))
    }

    @Test("RFC 4648 vectors decode (text, substring and bytes)", arguments: vectors)
    func decodes(text: String, bytes: [UInt8]) throws {
        #expect(try Base64URL.decode(text) == bytes)
        let wrapped = "x.\(text).y"
        let middle = wrapped.split(separator: ".", omittingEmptySubsequences: false)[1]
        #expect(try Base64URL.decode(middle) == bytes)
        #expect(try Base64URL.decode(Array(text.utf8)) == bytes)
        #expect(try Base64URL.decode(Array(text.utf8)[...]) == bytes)
    }

    static let rejected: [(String, String)] = [
        ("Zg==", "padding"),
        ("Zm8=", "padding"),
        ("Zm9v=", "padding after a full quantum"),
        ("+_8", "standard '+'"),
        ("-/8", "standard '/'"),
        ("Zm9 v", "space"),
        ("Zm9v\n", "line feed"),
        ("Zm9v\r\nYg", "CRLF"),
        ("\tZg", "tab"),
        ("Z", "length 4k+1"),
        ("Zm9vY", "length 4k+1"),
        ("Zh", "non-zero trailing bits (one byte)"),
        ("Zm9", "non-zero trailing bits (two bytes)"),
        ("AB", "non-zero trailing bits: 'B' has low bits"),
        ("Zm9v.", "dot"),
        ("Zm9v*", "asterisk"),
        ("Zm9\u{00E9}", "non-ASCII"),
        ("Zm9\u{0000}", "NUL"),
    ]

    @Test("strict decoding rejects", arguments: rejected)
    func rejects(text: String, reason: String) {
        let error = #expect(throws: PortcullisError.self, "\(reason)") { try Base64URL.decode(text) }
        #expect(error?.code == .malformed)
    }

    @Test("padding is named in the message")
    func paddingMessage() {
        let error = #expect(throws: PortcullisError.self) { try Base64URL.decode("Zg==") }
        #expect(error?.message.contains("padding") == true)
        #expect(error?.message.contains("offset 2") == true)
    }

    @Test("random round trips for every length up to 100")
    func randomRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("="))
            #expect(text.utf8.count == (length * 4 + 2) / 3)
            #expect(try Base64URL.decode(text) == bytes)
        }
    }

    @Test("every canonical 2- and 3-character tail is accepted and no other")
    func canonicalTails() throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var accepted = 0
        for last in alphabet {
            let text = "A" + String(last)
            if (try? Base64URL.decode(text)) != nil { accepted += 1 }
        }
        // One byte leaves 4 unused bits: only characters whose low 4 bits are zero.
        #expect(accepted == 4)
        accepted = 0
        for last in alphabet {
            if (try? Base64URL.decode("AA" + String(last))) != nil { accepted += 1 }
        }
        #expect(accepted == 16)
    }
}
