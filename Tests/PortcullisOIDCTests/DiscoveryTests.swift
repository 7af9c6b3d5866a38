import Foundation
import PortcullisJOSE
import Testing
@testable import PortcullisOIDC

@Suite("Metadata URLs and issuer identifiers")
struct MetadataURLTests {
    @Test(arguments: [
        ("https://id.example.com", "https://id.example.com/.well-known/openid-configuration",
         "https://id.example.com/.well-known/oauth-authorization-server"),
        ("https://id.example.com/", "https://id.example.com/.well-known/openid-configuration",
         "https://id.example.com/.well-known/oauth-authorization-server"),
        ("https://id.example.com/issuer1", "https://id.example.com/issuer1/.well-known/openid-configuration",
         "https://id.example.com/.well-known/oauth-authorization-server/issuer1"),
        ("https://id.example.com/tenants/t1/", "https://id.example.com/tenants/t1/.well-known/openid-configuration",
         "https://id.example.com/.well-known/oauth-authorization-server/tenants/t1"),
        ("https://id.example.com:8443/x", "https://id.example.com:8443/x/.well-known/openid-configuration",
         "https://id.example.com:8443/.well-known/oauth-authorization-server/x"),
    ])
    func wellKnownLocations(issuer: String, openID: String, rfc8414: String) throws {
        #expect(try ProviderDiscovery.metadataURL(issuer: issuer, document: .openIDConnect, allowsLoopbackHTTP: false).absoluteString == openID)
        #expect(try ProviderDiscovery.metadataURL(issuer: issuer, document: .authorizationServer, allowsLoopbackHTTP: false).absoluteString == rfc8414)
    }

    @Test(arguments: [
        "http://id.example.com", "https://id.example.com/?tenant=1", "https://id.example.com/#x", "id.example.com",
        "ftp://id.example.com", "http://127.0.0.1:8080",
    ])
    func refusedIssuers(_ issuer: String) {
        let error = #expect(throws: PortcullisError.self) {
            try ProviderDiscovery.metadataURL(issuer: issuer, document: .openIDConnect, allowsLoopbackHTTP: false)
        }
        #expect(error?.code == .invalidIssuer)
    }

    @Test func loopbackIssuerInDevelopmentMode() throws {
        let url = try ProviderDiscovery.metadataURL(issuer: "http://127.0.0.1:8080", document: .openIDConnect, allowsLoopbackHTTP: true)
        #expect(url.absoluteString == "http://127.0.0.1:8080/.well-known/openid-configuration")
    }

    @Test func metadataModelKeepsUnknownMembersAndChecksTypes() throws {
        let metadata = try ProviderMetadata(parsing: Array("""
            {"issuer":"https://a.example","jwks_uri":"https://a.example/k","code_challenge_methods_supported":["S256"],
             "token_endpoint_auth_methods_supported":["private_key_jwt"],"end_session_endpoint":"https://a.example/logout",
             "x_vendor":{"n":1}}
            """.utf8))
        #expect(metadata.codeChallengeMethodsSupported == ["S256"])
        #expect(metadata.tokenEndpointAuthMethodsSupported == ["private_key_jwt"])
        #expect(metadata.endSessionEndpoint == "https://a.example/logout")
        #expect(metadata["x_vendor"]?.objectValue?["n"] != nil)
        for bad in [#"{"issuer":1}"#, #"{"jwks_uri":"https://a"}"#, #"{"issuer":"a","scopes_supported":"openid"}"#,
                    #"{"issuer":"a","response_types_supported":["code",1]}"#, #"{"issuer":"a","issuer":"b"}"#, "[]"] {
            let error = #expect(throws: PortcullisError.self) { try ProviderMetadata(parsing: Array(bad.utf8)) }
            #expect(error?.code == .malformed)
        }
    }
}

@Suite("Discovery over real HTTP", .enabled(if: mockServerAvailable, "needs python3 for the local HTTP server"))
struct DiscoveryTests {
    // A generous timeout: these tests are about documents, not deadlines, and CI shares two cores.
    let discovery = ProviderDiscovery(limits: FetchLimits(timeout: .seconds(10), allowsLoopbackHTTP: true))

    @Test func readsAnOpenIDConfiguration() async throws {
        let site = MockServer.shared!.site()
        try await site.serveDiscovery(extra: ["userinfo_endpoint": .string(site.url("/userinfo"))])
        let metadata = try await discovery.discover(issuer: site.issuer)
        #expect(metadata.issuer == site.issuer)
        #expect(metadata.jwksURI == site.url("/jwks"))
        #expect(metadata.userinfoEndpoint == site.url("/userinfo"))
        #expect(metadata.idTokenSigningAlgValuesSupported == ["ES256", "RS256", "EdDSA"])
    }

    @Test(arguments: ["/", "/other", ""])
    func issuerMustMatchExactly(suffix: String) async throws {
        let site = MockServer.shared!.site()
        let named = suffix.isEmpty ? "https://evil.example" : site.issuer + suffix
        try await site.serveDiscovery(issuer: named)
        let error = await #expect(throws: PortcullisError.self) { try await discovery.discover(issuer: site.issuer) }
        #expect(error?.code == .invalidIssuer)
        #expect(error?.message.contains("§4.3") == true)
    }

    @Test func refusesAPlainHTTPJWKSURI() async throws {
        let site = MockServer.shared!.site()
        try await site.serveDiscovery(extra: ["jwks_uri": .string("http://keys.example.com/jwks")])
        let error = await #expect(throws: PortcullisError.self) { try await discovery.discover(issuer: site.issuer) }
        #expect(error?.code == .fetchFailed)
    }

    @Test func requiresJWKSURIForOpenIDConnect() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/.well-known/openid-configuration", body: #"{"issuer":"\#(site.issuer)"}"#)
        let error = await #expect(throws: PortcullisError.self) { try await discovery.discover(issuer: site.issuer) }
        #expect(error?.code == .malformed)
    }

    @Test func fallsBackToRFC8414WithPathInsertion() async throws {
        let site = MockServer.shared!.site()
        let server = MockServer.shared!
        // The issuer has a path (the site prefix), so RFC 8414 metadata lives at
        // /.well-known/oauth-authorization-server/<prefix> on the same origin.
        let document = #"{"issuer":"\#(site.issuer)","token_endpoint":"\#(site.url("/token"))","code_challenge_methods_supported":["S256"]}"#
        let root = Site(server: server, prefix: "/.well-known/oauth-authorization-server")
        try await root.set(site.prefix, body: document)
        let metadata = try await discovery.discover(issuer: site.issuer)
        #expect(metadata.tokenEndpoint == site.url("/token"))
        #expect(metadata.jwksURI == nil)
        #expect(try await site.hits("/.well-known/openid-configuration") == 1)
    }

    @Test func reportsGarbageAndErrorsPrecisely() async throws {
        let site = MockServer.shared!.site()
        try await site.set("/.well-known/openid-configuration", body: "<html>")
        let garbage = await #expect(throws: PortcullisError.self) {
            try await discovery.discover(issuer: site.issuer, documents: [.openIDConnect])
        }
        #expect(garbage?.code == .malformed)
        try await site.set("/.well-known/openid-configuration", status: 503)
        let down = await #expect(throws: PortcullisError.self) {
            try await discovery.discover(issuer: site.issuer, documents: [.openIDConnect])
        }
        #expect(down?.code == .fetchFailed)
        #expect(down?.message.contains("503") == true)
    }
}
