import ExamplesTestSupport
import Foundation
import PortcullisTesting
import Portcullis
import Testing

/// The `ModelPortal` executable as an operator runs it against a provider that accepts only
/// `private_key_jwt` (`Tests/PortcullisOIDCTests/Support/oidc_provider_private_key_jwt.py`:
/// `oidc-provider-mock` with Authlib's RFC 7523 checks): `--client-key` signs the token requests,
/// and with `PORTCULLIS_SESSION_KEYS` and `--session-dir` a session survives a restart.
extension RealProviderTests {
    @Suite("Model portal executable: private_key_jwt and sessions across a restart")
    struct ExecutableSignInTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Tests/PortcullisOIDCTests/Support/oidc_provider_private_key_jwt.py").standardized

        /// The private_key_jwt-only provider; stopped by SIGKILL.
        static func startProvider(python: String, clientJWK: String, in directory: URL) async throws -> (Process, String) {
            let jwkFile = directory.appendingPathComponent("client.jwk.json"), result = directory.appendingPathComponent("provider.json")
            try Data(clientJWK.utf8).write(to: jwkFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [Self.script.path, result.path, jwkFile.path, #"{"sub": "ada", "roles": ["Admin"]}"#]
            process.standardInput = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try TestProcess.launch(process)
            for _ in 0..<300 {
                if let data = try? Data(contentsOf: result), let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                   let issuer = json["issuer"] as? String {
                    return (process, issuer)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            kill(process.processIdentifier, SIGKILL)
            throw CurlError(message: "the private_key_jwt provider did not start")
        }

        @Test(.enabled(if: ExecutableTests.executable != nil, "the ModelPortal executable is not built beside the tests"))
        func privateKeyJWTSignInAndASessionThatSurvivesARestart() async throws {
            let python = try #require(RealProvider.python)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-portal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let key = try CryptoKey.generate(for: .es256)
            var jwk = try key.jwk(includingPrivate: false)
            jwk.keyID = "portal-1"
            let keyFile = directory.appendingPathComponent("client-key.pem")
            try Data(try key.pem(includingPrivate: true).utf8).write(to: keyFile)
            let (provider, issuer) = try await Self.startProvider(
                python: python, clientJWK: String(decoding: JSONValue.object(jwk.jsonObject(includingPrivate: false)).serializedBytes(), as: UTF8.self),
                in: directory)
            defer { kill(provider.processIdentifier, SIGKILL) }

            let sessionKey = "k1:" + Base64URL.encode(try SecureRandom.bytes(32))
            func startPortal() async throws -> (Process, String) {
                let port = try await Subprocess.freePort()
                let (process, banner) = try await Executable.start(
                    try #require(ExecutableTests.executable),
                    ["--issuer", issuer, "--client-id", "model-portal", "--client-key", keyFile.path, "--client-key-id", "portal-1",
                     "--session-dir", directory.appendingPathComponent("sessions").path, "--port", String(port), "--log-level", "error"],
                    environment: ["PORTCULLIS_SESSION_KEYS": sessionKey], until: "roles re-read")
                #expect(banner.contains("Token requests authenticate with private_key_jwt (ES256, kid portal-1)"), "\(banner)")
                return (process, "http://127.0.0.1:\(port)")
            }

            let (first, base) = try await startPortal()
            let browser = SignInBrowser(base: base)
            defer { browser.remove() }
            do {
                let callback = try await browser.signIn(as: "ada")
                #expect(callback.header("location") == "/models")
                #expect(try await browser.get("/models").body.contains("Deploy the latest"))
                let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("sessions").path)
                #expect(files.filter { $0.hasSuffix(".session") }.count == 1, "\(files)")
            } catch {
                kill(first.processIdentifier, SIGKILL)
                throw error
            }
            kill(first.processIdentifier, SIGKILL)
            for _ in 0..<100 where first.isRunning { try await Task.sleep(for: .milliseconds(20)) }

            // A new process, another port: the same keys open the cookie, the directory has the session.
            let (second, secondBase) = try await startPortal()
            defer { kill(second.processIdentifier, SIGKILL) }
            let restarted = SignInBrowser(base: secondBase, jar: browser.jar)
            let models = try await restarted.get("/models")
            #expect(models.status == 200, "\(models.status) \(models.body)")
            #expect(models.body.contains("Signed in as <strong>ada</strong>"))
        }
    }
}
