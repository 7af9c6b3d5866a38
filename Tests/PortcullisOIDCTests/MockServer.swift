import Foundation
import PortcullisTesting
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PortcullisCrypto
import PortcullisJOSE
import PortcullisJWT
@testable import PortcullisOIDC

/// The controllable HTTP server of `Support/mock_server.py` on 127.0.0.1, one per test process.
/// Each test works under its own ``Site`` (a random path prefix), so tests run in parallel.
final class MockServer: Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    static let shared: MockServer? = try? MockServer()

    private init() throws {
        let child = try PythonChild(script: "mock_server.py") { Int(String(decoding: $0, as: UTF8.self)) != nil }
        self.port = Int(String(decoding: child.output, as: UTF8.self)) ?? 0
        self.process = child.process
        self.stdin = child.stdin
    }

    var origin: String { "http://127.0.0.1:\(port)" }

    /// A fresh path prefix on this server.
    func site() -> Site { Site(server: self, prefix: "/" + UUID().uuidString.lowercased()) }

    fileprivate func control(_ path: String, body: Data? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: origin + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}

/// A python script of `Support/` that writes a result file once ready and runs until its standard
/// input reaches end of file (when this test process ends).
struct PythonChild: @unchecked Sendable {  // @unchecked: Process and Pipe are used from one task at a time.
    let process: Process
    let stdin: Pipe
    /// The result file's content.
    let output: Data

    /// ``init(python:script:arguments:ready:)`` on a thread of its own, so that the wait never
    /// blocks Swift concurrency's cooperative pool.
    static func start(
        python: String, script: String, arguments: [String], ready: @escaping @Sendable (Data) -> Bool
    ) async throws -> PythonChild {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try PythonChild(python: python, script: script, arguments: arguments, ready: ready) })
            }.start()
        }
    }

    /// Starts `Support/<script> RESULT_FILE ARGUMENTS…` and waits (at most 15 s) until `ready`
    /// accepts the file.
    init(python: String? = nil, script: String, arguments: [String] = [], ready: (Data) -> Bool) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/\(script)")
        let resultFile = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-oidc-\(UUID().uuidString)")
        let process = Process(), stdin = Pipe()
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
        process.arguments = (python == nil ? ["python3"] : []) + [path.path, resultFile.path] + arguments
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try TestProcess.launch(process)
        var output: Data?
        for _ in 0..<600 where output == nil {
            output = (try? Data(contentsOf: resultFile)).flatMap { ready($0) ? $0 : nil }
            if output == nil { Thread.sleep(forTimeInterval: 0.025) }
        }
        try? FileManager.default.removeItem(at: resultFile)
        guard let output else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown)
        }
        (self.process, self.stdin, self.output) = (process, stdin, output)
    }
}

/// One test's corner of the server.
struct Site: Sendable {
    let server: MockServer
    let prefix: String

    /// `http://127.0.0.1:PORT/<prefix>`: usable as an issuer.
    var issuer: String { server.origin + prefix }

    func url(_ path: String) -> String { issuer + path }

    /// Sets the response for `path` (relative to the prefix).
    func set(
        _ path: String, status: Int = 200, body: String = "", repeat count: Int = 1,
        headers: [String: String] = [:], delay: Double = 0, noLength: Bool = false
    ) async throws {
        let spec: [String: Any] = [
            "path": prefix + path, "status": status, "body": body, "repeat": count,
            "headers": headers, "delay": delay, "no_length": noLength,
        ]
        _ = try await server.control("/_control/set", body: try JSONSerialization.data(withJSONObject: spec))
    }

    /// GET requests received for `path` so far.
    func hits(_ path: String) async throws -> Int {
        let query = (prefix + path).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
        return try await server.control("/_control/hits?path=\(query)")["hits"] as? Int ?? -1
    }

    /// Serves a discovery document for this site's issuer, with `jwks_uri` at `/jwks`.
    func serveDiscovery(issuer: String? = nil, extra: JSONObject = JSONObject()) async throws {
        var document: JSONObject = [
            "issuer": .string(issuer ?? self.issuer),
            "jwks_uri": .string(url("/jwks")),
            "authorization_endpoint": .string(url("/authorize")),
            "token_endpoint": .string(url("/token")),
            "id_token_signing_alg_values_supported": .array([.string("ES256"), .string("RS256"), .string("EdDSA")]),
        ]
        for member in extra { document[member.name] = member.value }
        try await set("/.well-known/openid-configuration", body: JSONValue.object(document).serializedString())
    }

    /// Serves `keys` as the JWK Set at `/jwks`.
    func serveKeys(_ keys: [TestKey], headers: [String: String] = [:], status: Int = 200, delay: Double = 0) async throws {
        try await set("/jwks", status: status, body: TestKey.jwks(keys), headers: headers, delay: delay)
    }
}

/// A signing key with its public JWK.
struct TestKey: Sendable {
    let key: CryptoKey
    let keyID: String?
    let algorithm: JWSAlgorithm

    static func es256(_ keyID: String?) -> TestKey {
        TestKey(key: try! CryptoKey.generate(.ec(.p256)), keyID: keyID, algorithm: .es256)
    }

    static func jwks(_ keys: [TestKey]) -> String {
        let jwks = keys.map { key -> JWK in
            var jwk = try! key.key.jwk()
            jwk.keyID = key.keyID
            return jwk
        }
        return JSONValue.object(JWKSet(keys: jwks).jsonObject(includingPrivate: false)).serializedString()
    }

    func sign(_ claims: JSONObject, type: String? = "JWT") -> String {
        try! JWTSigner(key: key, algorithm: algorithm, keyID: keyID).sign(claims, type: type)
    }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double

    init(_ start: Double = 1_000) { value = start }

    var now: Double { lock.withLock { value } }

    func advance(_ seconds: Double) { lock.withLock { value += seconds } }

    var closure: @Sendable () -> Double { { self.now } }
}

/// Loopback development settings with an injected clock; timeouts generous (CI shares two cores),
/// tests of deadlines set their own.
func testKeyConfiguration(_ clock: TestClock, timeout: Duration = .seconds(10)) -> RemoteJWKSetConfiguration {
    RemoteJWKSetConfiguration(
        limits: FetchLimits(timeout: timeout, allowsLoopbackHTTP: true), clock: clock.closure)
}

func testProviderConfiguration(_ clock: TestClock) -> OIDCProviderConfiguration {
    var configuration = OIDCProviderConfiguration(keys: testKeyConfiguration(clock))
    configuration.allowsLoopbackHTTP = true
    return configuration
}

/// Standard claims for `issuer`, valid now.
func claims(issuer: String, audience: JSONValue = .string("api"), extra: JSONObject = JSONObject()) -> JSONObject {
    let now = Date().timeIntervalSince1970
    var claims: JSONObject = [
        "iss": .string(issuer), "sub": .string("user-1"), "aud": audience,
        "exp": .number(JSONNumber(Int(now) + 600)), "iat": .number(JSONNumber(Int(now) - 5)),
    ]
    for member in extra { claims[member.name] = member.value }
    return claims
}

/// Whether the mock server could start (python3 present).
let mockServerAvailable = MockServer.shared != nil
