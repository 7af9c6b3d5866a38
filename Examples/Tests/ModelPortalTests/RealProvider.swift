import ExamplesTestSupport
import Foundation
import PortcullisTesting

/// PyPI's `oidc-provider-mock` (pinned in `Tests/Interop/requirements.txt`) started as its command
/// line does, `oidc-provider-mock -p PORT --user-claims '{…}'`, on 127.0.0.1, with users that
/// sign in through the authorization-code flow scripted over HTTP: the consent form is posted,
/// the code redeemed at the token endpoint with client_secret_basic.
///
/// Its access tokens are opaque strings; its ID tokens are RS256 JWTs (`typ` `JWT`, no `kid`)
/// with `aud` the client id and the user's custom claims, which is what the portal accepts.
final class RealProvider: Sendable {
    /// The interpreter from `PORTCULLIS_INTEROP_PYTHON`, when it can import the provider.
    static let python: String? = {
        guard let python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"],
              FileManager.default.isExecutableFile(atPath: python),
              let check = try? Subprocess.runBlocking(python, ["-c", "import oidc_provider_mock"]), check.status == 0
        else { return nil }
        return python
    }()

    /// The tokens of one sign-in.
    struct Tokens: Sendable {
        let idToken: String
        let accessToken: String
    }

    static let clientID = "model-portal"
    static let clientSecret = "s3cret"
    static let redirectURI = "http://127.0.0.1/callback"

    let issuer: String
    private let process: Process

    /// Starts the provider with `users` (each a JSON object with `sub` and claims) and waits until
    /// its discovery document answers.
    init(python: String, users: [String]) async throws {
        let port = try await Subprocess.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "oidc_provider_mock", "-p", String(port)] + users.flatMap { ["--user-claims", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try TestProcess.launch(process)
        self.process = process
        issuer = "http://127.0.0.1:\(port)"
        for _ in 0..<150 {
            if let result = try? await Curl.request("GET", issuer + "/.well-known/openid-configuration"), result.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        await stopAsync()
        throw CurlError(message: "oidc-provider-mock did not start on port \(port)")
    }

    /// Stops the provider, waiting for it on a thread of its own so that the cooperative pool is
    /// never blocked. SIGKILL: the child inherits the test process's blocked signal mask, so it
    /// never sees SIGTERM.
    func stopAsync() async {
        let process = process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
    }

    /// Signs `subject` in: posts the consent form, checks `state`, redeems the code.
    func signIn(_ subject: String) async throws -> Tokens {
        let state = UUID().uuidString, nonce = UUID().uuidString
        let query = [
            "client_id=\(Self.clientID)", "response_type=code", "scope=openid%20profile", "state=\(state)", "nonce=\(nonce)",
            "redirect_uri=" + (Self.redirectURI.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
        ].joined(separator: "&")
        let consent = try await Curl.request(
            "POST", issuer + "/oauth2/authorize?" + query,
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "sub=\(subject)")
        guard consent.status == 302, let location = consent.header("Location"),
              let items = URLComponents(string: location)?.queryItems,
              items.first(where: { $0.name == "state" })?.value == state,
              let code = items.first(where: { $0.name == "code" })?.value
        else { throw CurlError(message: "the consent form did not redirect with a code: \(consent.status) \(consent.body)") }
        let basic = Data("\(Self.clientID):\(Self.clientSecret)".utf8).base64EncodedString()
        let redirect = Self.redirectURI.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let token = try await Curl.request(
            "POST", issuer + "/oauth2/token",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(basic)")],
            body: "grant_type=authorization_code&code=\(code)&redirect_uri=\(redirect)")
        guard token.status == 200, let idToken = token.json?["id_token"] as? String,
              let accessToken = token.json?["access_token"] as? String
        else { throw CurlError(message: "the token endpoint refused the code: \(token.status) \(token.body)") }
        return Tokens(idToken: idToken, accessToken: accessToken)
    }
}
