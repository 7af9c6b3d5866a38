import Foundation
import PortcullisJOSE
import PortcullisJWT
import Testing
@testable import PortcullisOIDC

@Suite("OIDCVerifier and MultiIssuerVerifier over real HTTP", .enabled(if: mockServerAvailable, "needs python3 for the local HTTP server"))
struct OIDCVerifierTests {
    let keyA = TestKey.es256("a")
    let keyB = TestKey.es256("b")

    func provider(_ site: Site, _ clock: TestClock) throws -> OIDCProvider {
        try OIDCProvider(issuer: site.issuer, configuration: testProviderConfiguration(clock))
    }

    @Test func verifiesWithDiscoveredKeys() async throws {
        let site = MockServer.shared!.site()
        try await site.serveDiscovery()
        try await site.serveKeys([keyA])
        let verifier = OIDCVerifier(provider: try provider(site, TestClock()), audiences: ["api"])
        let token = try await verifier.verifyToken(Substring(keyA.sign(claims(issuer: site.issuer))))
        #expect(token.subject == "user-1")
        #expect(token.verifiedKeyID == "a")
        #expect(try await verifier.algorithms() == [.es256, .rs256, .eddsa])
        let wrongIssuer = await #expect(throws: PortcullisError.self) {
            try await verifier.verifyToken(Substring(keyA.sign(claims(issuer: site.issuer + "/"))))
        }
        #expect(wrongIssuer?.code == .invalidIssuer)
    }

    @Test func algorithmsComeFromTheProviderMetadata() async throws {
        let site = MockServer.shared!.site()
        try await site.serveDiscovery(extra: ["id_token_signing_alg_values_supported": .array([.string("RS256"), .string("none"), .string("HS256")])])
        try await site.serveKeys([keyA])
        let verifier = OIDCVerifier(provider: try provider(site, TestClock()), audiences: ["api"])
        #expect(try await verifier.algorithms() == [.rs256])
        let error = await #expect(throws: PortcullisError.self) {
            try await verifier.verifyToken(Substring(keyA.sign(claims(issuer: site.issuer))))
        }
        #expect(error?.code == .algorithmNotAllowed)
    }

    @Test func aNewKidIsFetchedOnceAndForgedKidsAreThrottled() async throws {
        let site = MockServer.shared!.site()
        try await site.serveDiscovery()
        try await site.serveKeys([keyA])
        let clock = TestClock()
        let verifier = OIDCVerifier(provider: try provider(site, clock), audiences: ["api"])
        _ = try await verifier.verifyToken(Substring(keyA.sign(claims(issuer: site.issuer))))
        #expect(try await site.hits("/jwks") == 1)

        // Rotation: the provider adds b and drops a. After the cooldown, a token signed by b
        // triggers one refetch and verifies; a's tokens stop verifying.
        try await site.serveKeys([keyB])
        clock.advance(31)
        let rotated = try await verifier.verifyToken(Substring(keyB.sign(claims(issuer: site.issuer))))
        #expect(rotated.verifiedKeyID == "b")
        #expect(try await site.hits("/jwks") == 2)
        let removed = await #expect(throws: PortcullisError.self) {
            try await verifier.verifyToken(Substring(keyA.sign(claims(issuer: site.issuer))))
        }
        #expect(removed?.code == .keyNotFound)

        // A flood of 200 tokens with forged kids, concurrently: at most one fetch per cooldown.
        let forger = TestKey.es256(nil)
        clock.advance(31)
        let codes = await withTaskGroup(of: String.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let forged = TestKey(key: forger.key, keyID: "forged-\(index)", algorithm: .es256)
                    do throws(PortcullisError) {
                        _ = try await verifier.verifyToken(Substring(forged.sign(claims(issuer: site.issuer))))
                        return "accepted"
                    } catch {
                        return error.code.rawValue
                    }
                }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(codes == ["key_not_found"])
        #expect(try await site.hits("/jwks") == 3)
    }

    @Test func tokensWithoutKidRefetchOnASignatureFailure() async throws {
        let site = MockServer.shared!.site()
        let old = TestKey.es256(nil), new = TestKey.es256(nil)
        try await site.serveDiscovery()
        try await site.serveKeys([old])
        let clock = TestClock()
        let verifier = OIDCVerifier(provider: try provider(site, clock), audiences: ["api"])
        _ = try await verifier.verifyToken(Substring(old.sign(claims(issuer: site.issuer))))
        try await site.serveKeys([new])
        clock.advance(31)
        _ = try await verifier.verifyToken(Substring(new.sign(claims(issuer: site.issuer))))
        #expect(try await site.hits("/jwks") == 2)
    }

    @Test func discoveryFailuresAreReportedAndRetriedAfterABackOff() async throws {
        let site = MockServer.shared!.site()
        try await site.serveDiscovery(issuer: "https://other.example")
        try await site.serveKeys([keyA])
        let clock = TestClock()
        let verifier = OIDCVerifier(provider: try provider(site, clock), audiences: ["api"])
        let token = Substring(keyA.sign(claims(issuer: site.issuer)))
        let first = await #expect(throws: PortcullisError.self) { try await verifier.verifyToken(token) }
        #expect(first?.code == .invalidIssuer)
        try await site.serveDiscovery()
        _ = await #expect(throws: PortcullisError.self) { try await verifier.verifyToken(token) }
        #expect(try await site.hits("/.well-known/openid-configuration") == 1)
        clock.advance(10)
        #expect(try await verifier.verifyToken(token).verifiedKeyID == "a")
        #expect(try await site.hits("/.well-known/openid-configuration") == 2)
    }

    @Test func severalIssuersAreChosenByExactIssuerOnly() async throws {
        let tenant1 = MockServer.shared!.site(), tenant2 = MockServer.shared!.site(), stranger = MockServer.shared!.site()
        for (site, key) in [(tenant1, keyA), (tenant2, keyB), (stranger, keyA)] {
            try await site.serveDiscovery()
            try await site.serveKeys([key])
        }
        let clock = TestClock()
        let multi = try MultiIssuerVerifier([
            OIDCVerifier(provider: try provider(tenant1, clock), audiences: ["api"]),
            OIDCVerifier(provider: try provider(tenant2, clock), audiences: ["api"]),
        ])
        #expect(multi.issuers == [tenant1.issuer, tenant2.issuer].sorted())
        #expect(try await multi.verifyToken(Substring(keyA.sign(claims(issuer: tenant1.issuer)))).issuer == tenant1.issuer)
        #expect(try await multi.verifyToken(Substring(keyB.sign(claims(issuer: tenant2.issuer)))).issuer == tenant2.issuer)

        // Tenant 2's key cannot sign for tenant 1 (its kid is unknown there).
        let crossed = await #expect(throws: PortcullisError.self) {
            try await multi.verifyToken(Substring(keyB.sign(claims(issuer: tenant1.issuer))))
        }
        #expect(crossed?.code == .keyNotFound)

        // An unconfigured issuer is refused without any fetch from it, even a near miss.
        for issuer in [stranger.issuer, tenant1.issuer + "/", tenant1.issuer.uppercased()] {
            let error = await #expect(throws: PortcullisError.self) {
                try await multi.verifyToken(Substring(keyA.sign(claims(issuer: issuer))))
            }
            #expect(error?.code == .invalidIssuer)
            #expect(error?.message.contains("not configured") == true)
        }
        #expect(try await stranger.hits("/.well-known/openid-configuration") == 0)
        #expect(try await stranger.hits("/jwks") == 0)

        var noIssuer = claims(issuer: "x")
        noIssuer["iss"] = nil
        let missing = await #expect(throws: PortcullisError.self) {
            try await multi.verifyToken(Substring(keyA.sign(noIssuer)))
        }
        #expect(missing?.code == .invalidIssuer)
        let notAString = await #expect(throws: PortcullisError.self) {
            try await multi.verifyToken(Substring(keyA.sign(claims(issuer: "x", extra: ["iss": .number(JSONNumber(1))]))))
        }
        #expect(notAString?.code == .invalidIssuer)
        let garbage = await #expect(throws: PortcullisError.self) { try await multi.verifyToken("not.a.jwt") }
        #expect(garbage?.code == .malformed)
    }

    @Test func duplicateIssuersAreRefused() throws {
        let site = MockServer.shared!.site()
        let clock = TestClock()
        let error = #expect(throws: PortcullisError.self) {
            try MultiIssuerVerifier([
                OIDCVerifier(provider: try provider(site, clock), audiences: ["a"]),
                OIDCVerifier(provider: try provider(site, clock), audiences: ["b"]),
            ])
        }
        #expect(error?.code == .invalidIssuer)
    }
}
