import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Portcullis
import Testing

/// `--issuer`: keys from the provider's discovery document through `OIDCProvider`/`OIDCVerifier`.
/// The provider here is a second portal's development issuer on 127.0.0.1 (the real provider is
/// in ``RealProviderTests``).
@Suite("Model portal: an external issuer through discovery")
struct ExternalIssuerTests {
    @Test func tokensOfTheDiscoveredIssuerCarryTheirRoles() async throws {
        try await PortalHarness.run { provider in
            let portal = ModelPortalConfiguration(issuer: .external(provider.base), clientID: "model-portal")
            try await PortalHarness.run(portal) { harness in
                #expect(harness.portal.developmentIssuer == nil)
                #expect(try await harness.portal.checkProvider() == provider.base + "/.well-known/jwks.json")
                // The development endpoints are off.
                #expect(try await Curl.request("POST", harness.base + "/dev/token", body: "role=Admin").status == 404)
                let viewer = try await provider.token("Viewer")
                #expect(try await harness.send("GET", "/api/models", token: viewer).status == 200)
                let denied = try await harness.send("POST", "/api/models/sentiment/deploy", token: viewer)
                #expect(denied.status == 403)
                #expect(denied.json?["error"] as? String == "access_denied")
                let admin = try await provider.token("Admin")
                #expect(try await harness.send("POST", "/api/models/sentiment/deploy", token: admin).status == 200)
                // Same provider, another client: the audience does not match.
                let other = try provider.mint(roles: ["Admin"], audience: "another-client")
                let refused = try await harness.send("GET", "/api/models", token: other)
                #expect(refused.status == 401)
                #expect(refused.json?["error"] as? String == "invalid_audience")
            }
        }
    }

    @Test func tokensOfAnotherIssuerAreRefused() async throws {
        try await PortalHarness.run { provider in
            try await PortalHarness.run { stranger in
                let portal = ModelPortalConfiguration(issuer: .external(provider.base), clientID: "model-portal")
                try await PortalHarness.run(portal) { harness in
                    // The signature is checked before the claims: the stranger's key is not in the
                    // provider's JWK Set (one refetch on the unknown kid, then refused).
                    let result = try await harness.send("GET", "/api/models", token: try await stranger.token("Admin"))
                    #expect(result.status == 401)
                    #expect(result.json?["error"] as? String == "key_not_found")
                }
            }
        }
    }

    @Test func unreachableIssuerIs503() async throws {
        let port = try await Subprocess.freePort()
        let portal = ModelPortalConfiguration(issuer: .external("http://127.0.0.1:\(port)"), clientID: "model-portal")
        try await PortalHarness.run(portal) { harness in
            let error = await #expect(throws: PortcullisError.self) { try await harness.portal.checkProvider() }
            #expect(error?.code == .fetchFailed)
            let result = try await harness.send("GET", "/api/models", token: "a.b.c")
            #expect(result.status == 503)
            #expect(result.json?["error"] as? String == "fetch_failed")
        }
    }

    @Test(arguments: ["http://idp.example.com", "http://10.0.0.8:8080", "ftp://127.0.0.1", "https://idp.example.com?x=1"])
    func plainHTTPOnlyOnLoopback(issuer: String) {
        let error = #expect(throws: PortcullisError.self) {
            try ModelPortal(configuration: ModelPortalConfiguration(issuer: .external(issuer), clientID: "model-portal"))
        }
        #expect(error?.code == .invalidIssuer)
    }
}
