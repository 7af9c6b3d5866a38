import Foundation
import PortcullisJOSE
import PortcullisJWT
import Testing
@testable import PortcullisOIDC

/// PyPI's `oidc-provider-mock` on 127.0.0.1, with a user signed in through the authorization-code
/// flow by `Support/oidc_provider_mock_login.py`. The interpreter is `PORTCULLIS_INTEROP_PYTHON`
/// (the venv `scripts/test.sh` builds from `Tests/Interop/requirements.txt`).
final class OIDCProviderMock: Sendable {
    struct Login: Decodable, Sendable {
        let issuer: String
        let client_id: String
        let nonce: String
        let id_token: String
        let access_token: String
    }

    static let python: String? = {
        guard let python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"],
              FileManager.default.isExecutableFile(atPath: python) else { return nil }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import oidc_provider_mock"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return nil }
        check.waitUntilExit()
        return check.terminationStatus == 0 ? python : nil
    }()

    static let shared: OIDCProviderMock? = python.flatMap { try? OIDCProviderMock(python: $0) }

    let login: Login
    private let process: Process
    private let stdin: Pipe

    private init(python: String) throws {
        let child = try PythonChild(python: python, script: "oidc_provider_mock_login.py") {
            (try? JSONDecoder().decode(Login.self, from: $0)) != nil
        }
        self.login = try JSONDecoder().decode(Login.self, from: child.output)
        self.process = child.process
        self.stdin = child.stdin
    }
}

@Suite(
    "A real OpenID provider (oidc-provider-mock)",
    .enabled(if: OIDCProviderMock.shared != nil, "needs PORTCULLIS_INTEROP_PYTHON with oidc-provider-mock installed (scripts/test.sh does both)"))
struct RealProviderTests {
    var login: OIDCProviderMock.Login { OIDCProviderMock.shared!.login }

    func provider() throws -> OIDCProvider {
        var configuration = OIDCProviderConfiguration()
        configuration.allowsLoopbackHTTP = true
        return try OIDCProvider(issuer: login.issuer, configuration: configuration)
    }

    @Test func discoveryAndKeySet() async throws {
        let provider = try provider()
        let metadata = try await provider.metadata()
        #expect(metadata.issuer == login.issuer)
        #expect(metadata.jwksURI == login.issuer + "/jwks")
        #expect(metadata.tokenEndpoint == login.issuer + "/oauth2/token")
        #expect(metadata.idTokenSigningAlgValuesSupported == ["RS256"])
        #expect(metadata.endSessionEndpoint != nil)
        let keys = try await provider.keys().keySet()
        #expect(keys.keys.count == 1)
        #expect(keys.skipped.isEmpty)
    }

    @Test func validatesItsIDTokenWithCustomClaims() async throws {
        let validator = IDTokenValidator(provider: try provider(), clientID: login.client_id)
        let id = try await validator.validate(
            login.id_token,
            expecting: IDTokenExpectations(nonce: login.nonce, accessToken: login.access_token, maxAge: 600))
        #expect(id.subject == "alice")
        #expect(id.token.algorithm == .rs256)
        // Its tokens carry no kid: the single RS256 key of its set is chosen.
        #expect(id.token.header.keyID == nil)
        #expect(id.token.verifiedKeyID != nil)
        #expect(id["roles"] == .array([.string("Data Scientist"), .string("Viewer")]))
        #expect(id["tenant"] == .string("t123"))
        #expect(id.token["at_hash"] != nil)
    }

    @Test func refusesItsIDTokenOnEachBrokenExpectation() async throws {
        let validator = IDTokenValidator(provider: try provider(), clientID: login.client_id)
        let cases: [(IDTokenExpectations, PortcullisError.Code)] = [
            (IDTokenExpectations(nonce: "another-nonce"), .invalidClaim),
            (IDTokenExpectations(accessToken: login.access_token + "x"), .invalidClaim),
            (IDTokenExpectations(acceptableACRValues: ["urn:example:mfa"]), .missingClaim),
            (IDTokenExpectations(requiresCodeHash: true), .missingClaim),
        ]
        for (expectations, code) in cases {
            let error = await #expect(throws: PortcullisError.self) { try await validator.validate(login.id_token, expecting: expectations) }
            #expect(error?.code == code)
        }
        let otherClient = IDTokenValidator(provider: try provider(), clientID: "another-client")
        let audience = await #expect(throws: PortcullisError.self) { try await otherClient.validate(login.id_token) }
        #expect(audience?.code == .invalidAudience)
        // The provider's issuer follows the Host header: under "localhost" it is another issuer.
        var configuration = OIDCProviderConfiguration()
        configuration.allowsLoopbackHTTP = true
        let renamed = login.issuer.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        let byName = IDTokenValidator(
            provider: try OIDCProvider(issuer: renamed, configuration: configuration), clientID: login.client_id)
        let issuer = await #expect(throws: PortcullisError.self) { try await byName.validate(login.id_token) }
        #expect(issuer?.code == .invalidIssuer)
    }
}
