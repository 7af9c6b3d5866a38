import PortcullisJOSE
import Testing

/// Examples from RFC 7517 Appendix A and RFC 8037 Appendix A.
enum RFCKeys {
    static let rsaN = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    static let ecX = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4"
    static let ecY = "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"
    static let ecD = "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"
    static let okpX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    static let okpD = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
    static let hmacK = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"

    /// RFC 7517 A.1, as printed (with its line breaks).
    static let a1 = """
        {"keys":
               [
                 {"kty":"EC",
                  "crv":"P-256",
                  "x":"\(ecX)",
                  "y":"\(ecY)",
                  "use":"enc",
                  "kid":"1"},

                 {"kty":"RSA",
                  "n": "\(rsaN)",
                  "e":"AQAB",
                  "alg":"RS256",
                  "kid":"2011-04-29"}
               ]
             }
        """

    /// RFC 7517 A.3.
    static let a3 = """
        {"keys":
               [
                 {"kty":"oct",
                  "alg":"A128KW",
                  "k":"GawgguFyGrWKav7AX4VKUg"},

                 {"kty":"oct",
                  "k":"\(hmacK)",
                  "kid":"HMAC key used in JWS spec Example A.1 of JWS Spec"}
               ]
             }
        """
}

@Suite("JWK JSON (RFC 7517, RFC 7518 §6, RFC 8037)")
struct JWKTests {
    @Test("RFC 7517 A.1 public keys")
    func publicKeys() throws {
        let set = try JWKSet(parsing: RFCKeys.a1)
        #expect(set.skipped.isEmpty)
        #expect(set.keys.count == 2)
        let ec = set.keys[0]
        #expect(ec.keyType == "EC" && ec.curve == "P-256" && ec.use == "enc" && ec.keyID == "1")
        #expect(ec.x?.count == 32 && ec.y?.count == 32 && ec.d == nil)
        #expect(ec.x?.prefix(4) == [0x30, 0xA0, 0x42, 0x4C])
        let rsa = set.keys[1]
        #expect(rsa.keyType == "RSA" && rsa.algorithm == "RS256" && rsa.keyID == "2011-04-29")
        #expect(rsa.n?.count == 256)
        #expect(rsa.e == [0x01, 0x00, 0x01])
        #expect(!rsa.hasPrivateMaterial)
        #expect(rsa.json["alg"] == .string("RS256"))
    }

    @Test("RFC 7517 A.2 EC private key")
    func ecPrivate() throws {
        let key = try JWK(parsing: #"{"kty":"EC","crv":"P-256","x":"\#(RFCKeys.ecX)","y":"\#(RFCKeys.ecY)","d":"\#(RFCKeys.ecD)","use":"enc","kid":"1"}"#)
        #expect(key.d?.count == 32)
        #expect(key.hasPrivateMaterial)
        let exported = key.jsonObject(includingPrivate: true)
        #expect(exported.names == ["kty", "kid", "use", "crv", "x", "y", "d"])
        #expect(key.jsonObject(includingPrivate: false)["d"] == nil)
        #expect(try JWK(json: exported) == JWK(json: exported))
        #expect(try JWK(json: exported).d == key.d)
    }

    @Test("RSA private key with all CRT parameters, and the all-or-nothing rule")
    func rsaPrivate() throws {
        let full = #"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB","p":"AQ","q":"Aw","dp":"BQ","dq":"Bw","qi":"CQ"}"#
        let key = try JWK(parsing: full)
        #expect(key.p == [1] && key.q == [3] && key.dp == [5] && key.dq == [7] && key.qi == [9])
        #expect(key.jsonObject(includingPrivate: true).names == ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"])
        #expect(key.jsonObject(includingPrivate: false).names == ["kty", "n", "e"])
        _ = try JWK(parsing: #"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}"#)
        let partial = #expect(throws: PortcullisError.self) {
            try JWK(parsing: #"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB","p":"AQ"}"#)
        }
        #expect(partial?.code == .malformed)
        #expect(throws: PortcullisError.self) {
            try JWK(parsing: #"{"kty":"RSA","n":"AQAB","e":"AQAB","p":"AQ","q":"Aw","dp":"BQ","dq":"Bw","qi":"CQ"}"#)
        }
        #expect(throws: PortcullisError.self) {
            try JWK(parsing: #"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB","oth":[]}"#)
        }
    }

    @Test("RFC 7517 A.3 symmetric keys")
    func symmetric() throws {
        let set = try JWKSet(parsing: RFCKeys.a3)
        #expect(set.keys.count == 2)
        #expect(set.keys[0].algorithm == "A128KW" && set.keys[0].k?.count == 16)
        #expect(set.keys[1].k?.count == 64)
        #expect(set.keys[1].keyID == "HMAC key used in JWS spec Example A.1 of JWS Spec")
        #expect(set.keys[1].jsonObject(includingPrivate: false)["k"] == nil)
        #expect(set.keys[1].jsonObject(includingPrivate: true)["k"] == .string(RFCKeys.hmacK))
    }

    @Test("RFC 8037 A.1 and A.2 Ed25519 keys")
    func okp() throws {
        let privateKey = try JWK(parsing: #"{"kty":"OKP","crv":"Ed25519","d":"\#(RFCKeys.okpD)","x":"\#(RFCKeys.okpX)"}"#)
        #expect(privateKey.curve == "Ed25519" && privateKey.d?.count == 32 && privateKey.x?.count == 32)
        #expect(privateKey.x?.prefix(4) == [0xD7, 0x5A, 0x98, 0x01])
        let publicKey = try JWK(parsing: #"{"kty":"OKP","crv":"Ed25519","x":"\#(RFCKeys.okpX)"}"#)
        #expect(publicKey.d == nil && publicKey.x == privateKey.x)
        // RFC 8037 A.3: the thumbprint input.
        #expect(try String(decoding: publicKey.thumbprintInput(), as: UTF8.self)
            == #"{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
    }

    @Test("RFC 7638 §3.1 thumbprint input")
    func thumbprint() throws {
        let key = try JWK(parsing: #"{"kty":"RSA","n":"\#(RFCKeys.rsaN)","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#)
        // SHA-256 of these exact bytes, base64url, is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs (RFC 7638 §3.1).
        #expect(try String(decoding: key.thumbprintInput(), as: UTF8.self) == #"{"e":"AQAB","kty":"RSA","n":"\#(RFCKeys.rsaN)"}"#)
        let ec = try JWK(parsing: #"{"kty":"EC","crv":"P-256","x":"\#(RFCKeys.ecX)","y":"\#(RFCKeys.ecY)","d":"\#(RFCKeys.ecD)","kid":"1"}"#)
        #expect(try String(decoding: ec.thumbprintInput(), as: UTF8.self)
            == #"{"crv":"P-256","kty":"EC","x":"\#(RFCKeys.ecX)","y":"\#(RFCKeys.ecY)"}"#)
        let oct = try JWK(parsing: #"{"kty":"oct","k":"GawgguFyGrWKav7AX4VKUg","alg":"A128KW"}"#)
        #expect(try String(decoding: oct.thumbprintInput(), as: UTF8.self) == #"{"k":"GawgguFyGrWKav7AX4VKUg","kty":"oct"}"#)
        let unknown = try JWK(parsing: #"{"kty":"XYZ"}"#)
        #expect(throws: PortcullisError.self) { try unknown.thumbprintInput() }
    }

    @Test("unknown kty is kept with its JSON, without further checks")
    func unknownType() throws {
        let key = try JWK(parsing: #"{"kty":"PQC","kid":"q","pub":"!!not base64!!","x":"%%"}"#)
        #expect(key.keyType == "PQC" && key.keyID == "q")
        #expect(key.x == nil)
        #expect(key.json["pub"] == .string("!!not base64!!"))
        #expect(key.jsonObject(includingPrivate: true).names == ["kty", "kid"])
    }

    static let malformed: [(String, String?)] = [
        (#"{}"#, "kty"),
        (#"{"kty":1}"#, "kty"),
        (#"{"kty":"RSA","e":"AQAB"}"#, "n"),
        (#"{"kty":"RSA","n":"AQAB"}"#, "e"),
        (#"{"kty":"RSA","n":"AQAB=","e":"AQAB"}"#, "n"),
        (#"{"kty":"RSA","n":"AQ+B","e":"AQAB"}"#, "n"),
        (#"{"kty":"RSA","n":1234,"e":"AQAB"}"#, "n"),
        (#"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"A"}"#, "d"),
        (#"{"kty":"EC","x":"AA","y":"AA"}"#, "crv"),
        (#"{"kty":"EC","crv":1,"x":"AA","y":"AA"}"#, "crv"),
        (#"{"kty":"EC","crv":"P-256","x":"AA"}"#, "y"),
        (#"{"kty":"EC","crv":"P-256","y":"AA"}"#, "x"),
        (#"{"kty":"EC","crv":"P-256","x":"AA","y":"AB"}"#, "y"),
        (#"{"kty":"OKP","crv":"Ed25519"}"#, "x"),
        (#"{"kty":"OKP","x":"AA"}"#, "crv"),
        (#"{"kty":"oct"}"#, "k"),
        (#"{"kty":"oct","k":"a b"}"#, "k"),
        (#"{"kty":"oct","k":"AA","kid":5}"#, "kid"),
        (#"{"kty":"oct","k":"AA","use":["sig"]}"#, "use"),
        (#"{"kty":"oct","k":"AA","alg":true}"#, "alg"),
        (#"{"kty":"oct","k":"AA","key_ops":"sign"}"#, "key_ops"),
        (#"{"kty":"oct","k":"AA","key_ops":["sign","sign"]}"#, "key_ops"),
        (#"{"kty":"oct","k":"AA","key_ops":[1]}"#, "key_ops"),
    ]

    @Test("structural errors are malformed and name the member", arguments: malformed)
    func rejects(text: String, member: String?) {
        let error = #expect(throws: PortcullisError.self) { try JWK(parsing: text) }
        #expect(error?.code == .malformed)
        if let member { #expect(error?.message.contains("\"\(member)\"") == true) }
    }

    @Test("not JSON or not an object is malformed", arguments: ["", "[]", "{", #"{"kty":"oct","k":"AA","k":"AB"}"#])
    func notAnObject(text: String) {
        let error = #expect(throws: PortcullisError.self) { try JWK(parsing: text) }
        #expect(error?.code == .malformed)
    }

    @Test("metadata and byte round trip through jsonObject")
    func roundTrip() throws {
        let key = JWK(keyType: "oct", keyID: "k", use: "sig", keyOperations: ["sign", "verify"], algorithm: "HS256", k: Array(0..<32))
        let object = key.jsonObject(includingPrivate: true)
        #expect(object.names == ["kty", "kid", "use", "key_ops", "alg", "k"])
        let back = try JWK(parsing: object.serializedBytes())
        #expect(back.k == key.k && back.keyOperations == ["sign", "verify"] && back.use == "sig" && back.algorithm == "HS256")
    }
}
