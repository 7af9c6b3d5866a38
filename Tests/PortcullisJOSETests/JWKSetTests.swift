import PortcullisJOSE
import Testing

@Suite("JWKSet (RFC 7517 §5)")
struct JWKSetTests {
    @Test("a bad entry is skipped, the rest kept, unknown kty kept")
    func skipsBadEntries() throws {
        let text = #"""
            {"keys":[
              {"kty":"oct","kid":"good","k":"AyM1"},
              {"kty":"RSA","kid":"broken","n":"AQAB"},
              "not an object",
              {"kty":"FUTURE","kid":"later"},
              {"kid":7,"kty":"EC"}
            ],"extra":true}
            """#
        let set = try JWKSet(parsing: text)
        #expect(set.keys.map(\.keyID) == ["good", "later"])
        #expect(set.skipped.map(\.index) == [1, 2, 4])
        #expect(set.skipped[0].keyID == "broken")
        #expect(set.skipped[0].error.code == .malformed)
        #expect(set.skipped[0].error.message.contains("\"e\""))
        #expect(set.skipped[1].keyID == nil)
        #expect(set.skipped[2].keyID == nil)
        #expect(set.keys(withID: "good").count == 1)
        #expect(set.keys(withID: "missing").isEmpty)
        #expect(try JWKSet(parsing: Array(text.utf8)).keys.count == 2)
    }

    @Test("documents that are not JWK Sets", arguments: [
        "", "[]", "{}", #"{"keys":{}}"#, #"{"keys":"a"}"#, #"{"keys":[],"keys":[]}"#, #"{"kty":"oct","k":"AA"}"#,
    ])
    func notASet(text: String) {
        let error = #expect(throws: PortcullisError.self) { try JWKSet(parsing: text) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("not a JWK Set") == true)
    }

    @Test("export writes public keys only unless asked")
    func export() throws {
        let set = try JWKSet(parsing: RFCKeys.a1)
        let exported = set.jsonObject(includingPrivate: false)
        let reread = try JWKSet(json: exported)
        #expect(reread.keys.map(\.keyID) == ["1", "2011-04-29"])
        #expect(reread.keys[1].n == set.keys[1].n)
        let secret = JWKSet(keys: [JWK(keyType: "oct", keyID: "s", k: [1, 2, 3])])
        #expect(secret.jsonObject(includingPrivate: false).serializedString() == #"{"keys":[{"kty":"oct","kid":"s"}]}"#)
        #expect(secret.jsonObject(includingPrivate: true).serializedString() == #"{"keys":[{"kty":"oct","kid":"s","k":"AQID"}]}"#)
    }
}
