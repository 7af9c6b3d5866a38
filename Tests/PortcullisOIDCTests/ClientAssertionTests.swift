import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// `private_key_jwt` assertions (OpenID Connect Core §9, RFC 7523 §3) and the token request that
/// carries them.
@Suite("Relying party: private_key_jwt")
struct ClientAssertionTests {
    static func claims(_ assertion: String, verifiedWith key: CryptoKey) throws -> (JOSEHeader, JSONObject) {
        let jws = try JWSCompact.parse(assertion)
        #expect(try key.verify(signature: jws.signature, signingInput: jws.signingInput, algorithm: .es256))
        return (jws.header, try JSONReader.parseObject(jws.payload))
    }

    @Test(arguments: [ClientAssertionSigner.Audience.issuer, .tokenEndpoint])
    func assertionClaims(audience: ClientAssertionSigner.Audience) throws {
        let key = try CryptoKey.generate(for: .es256)
        let signer = try ClientAssertionSigner(signer: try JWTSigner(key: key, algorithm: .es256, keyID: "k1"), audience: audience)
        let first = try signer.assertion(clientID: "portal", issuer: "https://login.example.com", tokenEndpoint: "https://login.example.com/token", now: 1_800_000_000.7)
        let second = try signer.assertion(clientID: "portal", issuer: "https://login.example.com", tokenEndpoint: "https://login.example.com/token", now: 1_800_000_000.7)
        let (header, claims) = try Self.claims(first, verifiedWith: key)
        #expect(header.algorithm == "ES256" && header.keyID == "k1")
        #expect(claims["iss"]?.stringValue == "portal" && claims["sub"]?.stringValue == "portal")
        #expect(claims["aud"]?.stringValue == (audience == .issuer ? "https://login.example.com" : "https://login.example.com/token"))
        #expect(claims["iat"]?.numberValue?.doubleValue == 1_800_000_000)
        #expect(claims["exp"]?.numberValue?.doubleValue == 1_800_000_060)
        let jti = try #require(claims["jti"]?.stringValue)
        #expect(jti.count >= 43)
        #expect(try Self.claims(second, verifiedWith: key).1["jti"]?.stringValue != jti, "a fresh jti every time")
    }

    @Test func anHMACKeyIsRefusedAndTheLifetimeIsBounded() throws {
        let secret = try CryptoKey.generate(for: .hs256)
        let error = #expect(throws: PortcullisError.self) {
            try ClientAssertionSigner(signer: try JWTSigner(key: secret, algorithm: .hs256))
        }
        #expect(error?.code == .invalidKey)
        let key = try CryptoKey.generate(for: .es256)
        #expect(try ClientAssertionSigner(signer: JWTSigner(key: key, algorithm: .es256), lifetime: 86_400).lifetime == 600)
        #expect(try ClientAssertionSigner(signer: JWTSigner(key: key, algorithm: .es256), lifetime: -5).lifetime == 1)
    }

    @Test func theTokenRequestCarriesTheAssertionAndNoSecret() async throws {
        let key = try CryptoKey.generate(for: .es256)
        let signer = try ClientAssertionSigner(signer: try JWTSigner(key: key, algorithm: .es256, keyID: "k1"))
        let f = try RelyingPartyTests.fixture(authentication: .privateKeyJWT(signer))
        let pending = try await f.rp.startLogin().pending
        _ = try await f.rp.finishLogin(callback: [("state", pending.state), ("code", "code-" + pending.nonce)], pending: pending)
        let request = try #require(f.endpoint.requests.first)
        let form = RelyingPartyTests.query("x:?" + request.body)
        #expect(form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        #expect(form["client_id"] == "portal")
        #expect(form["client_secret"] == nil)
        #expect(!request.headers.contains { $0.0 == "Authorization" })
        let (_, claims) = try Self.claims(try #require(form["client_assertion"]), verifiedWith: key)
        #expect(claims["aud"]?.stringValue == RelyingPartyTests.issuerURL)
    }
}
