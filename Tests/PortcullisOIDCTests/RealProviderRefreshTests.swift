import Foundation
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
import PortcullisTesting
import Testing
@testable import PortcullisOIDC

/// The relying party against the real `oidc-provider-mock`, its token endpoint restricted to
/// `private_key_jwt` and checked by Authlib's RFC 7523 code (`Support/oidc_provider_private_key_jwt.py`):
/// sign-in, refresh, roles re-read through userinfo after a demotion, revoked tokens.
@Suite(
    "A real provider: private_key_jwt, refresh and userinfo",
    .enabled(if: OIDCProviderMock.python != nil, "needs PORTCULLIS_INTEROP_PYTHON with oidc-provider-mock installed (scripts/test.sh does both)"))
struct RealProviderRefreshTests {
    struct Provider {
        let issuer: String
        let child: PythonChild
    }

    struct Started: Decodable { let issuer: String }

    static func start(clientJWK: JWK, users: [String]) async throws -> Provider {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-client-jwk-\(UUID().uuidString).json")
        try Data(JSONValue.object(clientJWK.jsonObject(includingPrivate: false)).serializedBytes()).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let child = try await PythonChild.start(
            python: try #require(OIDCProviderMock.python), script: "oidc_provider_private_key_jwt.py", arguments: [file.path] + users
        ) { (try? JSONDecoder().decode(Started.self, from: $0)) != nil }
        return Provider(issuer: try JSONDecoder().decode(Started.self, from: child.output).issuer, child: child)
    }

    static func stop(_ provider: Provider) {
        kill(provider.child.process.processIdentifier, SIGKILL)
    }

    static func relyingParty(
        _ issuer: String, key: CryptoKey, keyID: String, audience: ClientAssertionSigner.Audience = .issuer
    ) throws -> RelyingParty {
        var providerConfiguration = OIDCProviderConfiguration()
        providerConfiguration.allowsLoopbackHTTP = true
        let provider = try OIDCProvider(issuer: issuer, configuration: providerConfiguration)
        let signer = try ClientAssertionSigner(signer: try JWTSigner(key: key, algorithm: .es256, keyID: keyID), audience: audience)
        var configuration = RelyingPartyConfiguration(
            clientID: "model-portal", clientAuthentication: .privateKeyJWT(signer), redirectURI: "http://127.0.0.1/callback")
        configuration.allowsLoopbackHTTP = true
        return RelyingParty(provider: provider, configuration: configuration)
    }

    static func curl(_ arguments: [String]) async throws -> String {
        let output = try await TestProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-sS", "--max-time", "10"] + arguments)
        #expect(output.status == 0, "curl \(arguments): \(output.stderr)")
        return output.stdoutText
    }

    /// The provider's consent form posted as `subject`; the callback's query items.
    static func consent(_ url: String, as subject: String) async throws -> [(name: String, value: String)] {
        let location = try await curl(["-o", "/dev/null", "-w", "%{redirect_url}", "--data-urlencode", "sub=\(subject)", url])
        let items = try #require(URLComponents(string: location)?.queryItems, "no redirect: \(location)")
        return items.map { (name: $0.name, value: $0.value ?? "") }
    }

    static func roles(_ token: VerifiedToken) -> [String] {
        token.claims["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test func signInRefreshDemotionAndRevocation() async throws {
        let key = try CryptoKey.generate(for: .es256)
        var jwk = try key.jwk(includingPrivate: false)
        jwk.keyID = "portal-1"
        let provider = try await Self.start(clientJWK: jwk, users: [#"{"sub": "ada", "roles": ["Admin"], "tenant": "t1"}"#])
        defer { Self.stop(provider) }
        let rp = try Self.relyingParty(provider.issuer, key: key, keyID: "portal-1")

        let (url, pending) = try await rp.startLogin()
        let signIn = try await rp.finishLogin(callback: try await Self.consent(url, as: "ada"), pending: pending)
        #expect(signIn.idToken.subject == "ada")
        #expect(Self.roles(signIn.authorizationToken) == ["Admin"])
        let refreshToken = try #require(signIn.tokens.refreshToken)

        // Demote ada at the provider; the next refresh re-reads the roles (this provider sends no
        // ID token on refresh, so they come from userinfo).
        _ = try await Self.curl([
            "-X", "PUT", "-H", "Content-Type: application/json", "--data", #"{"roles": ["Viewer"]}"#, provider.issuer + "/users/ada",
        ])
        let refreshed = try await rp.refresh(refreshToken, signedIn: signIn.authorizationToken)
        #expect(Self.roles(refreshed.authorizationToken) == ["Viewer"])
        #expect(refreshed.authorizationToken["tenant"] == nil, "a claim the provider no longer releases is gone")
        #expect(refreshed.userInfo?.subject == "ada")
        #expect(refreshed.tokens.accessToken != signIn.tokens.accessToken)

        // A revoked or unknown access token at userinfo: the provider's 401 (with its
        // `WWW-Authenticate: Bearer` challenge) is access_denied, promptly.
        let started = ContinuousClock.now
        let refused = await #expect(throws: PortcullisError.self) { try await rp.userInfo(accessToken: "not-a-token", subject: "ada") }
        #expect(refused?.code == .accessDenied)
        #expect(ContinuousClock.now - started < .seconds(5), "a 401 challenge must not wait for credentials")

        // Revoked at the provider: the refresh is refused with invalid_grant.
        _ = try await Self.curl(["-X", "POST", provider.issuer + "/users/ada/revoke-tokens"])
        let error = await #expect(throws: PortcullisError.self) {
            try await rp.refresh(refreshed.refreshToken, signedIn: refreshed.authorizationToken)
        }
        #expect(error?.code == .invalidGrant)
    }

    /// The provider really checks the assertion: another key, or an `aud` it does not accept
    /// (this one accepts only its issuer identifier), is `invalid_client`.
    @Test(arguments: [false, true])
    func aForeignAssertionIsRefused(wrongAudience: Bool) async throws {
        let registered = try CryptoKey.generate(for: .es256)
        var jwk = try registered.jwk(includingPrivate: false)
        jwk.keyID = "portal-1"
        let provider = try await Self.start(clientJWK: jwk, users: [#"{"sub": "ada", "roles": ["Admin"]}"#])
        defer { Self.stop(provider) }
        let rp = try Self.relyingParty(
            provider.issuer, key: wrongAudience ? registered : try CryptoKey.generate(for: .es256), keyID: "portal-1",
            audience: wrongAudience ? .tokenEndpoint : .issuer)
        let (url, pending) = try await rp.startLogin()
        let error = await #expect(throws: PortcullisError.self) {
            try await rp.finishLogin(callback: try await Self.consent(url, as: "ada"), pending: pending)
        }
        #expect(error?.actual == "invalid_client", "the provider verified the assertion and refused it")
    }
}
