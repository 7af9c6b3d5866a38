import Foundation
import PortcullisTesting
import Testing

/// `portcullis exchange` against a scripted RFC 8693 token endpoint on 127.0.0.1 that records
/// every request (the full service is tested end to end in the Examples package).
@Suite("portcullis exchange", .serialized)
struct ExchangeCommandTests {
    /// A Python token endpoint: `client_secret_basic` with `app:pw`, or any other method; answers
    /// `invalid_scope` for `scope=bad`, `401` + `WWW-Authenticate: Basic` for a wrong secret, and
    /// a §2.2.1 response otherwise. Each request is appended to `requests.jsonl`.
    final class FakeTokenEndpoint {
        private let process = Process()
        let port: Int
        let scratch: ScratchDirectory

        init() throws {
            scratch = try ScratchDirectory()
            let script = #"""
                import base64, http.server, json, os, signal, sys, urllib.parse
                signal.pthread_sigmask(signal.SIG_SETMASK, [])
                directory = sys.argv[1]
                class Handler(http.server.BaseHTTPRequestHandler):
                    def log_message(self, *args): pass
                    def answer(self, status, body, extra=()):
                        data = json.dumps(body).encode()
                        self.send_response(status)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Cache-Control", "no-store")
                        for name, value in extra: self.send_header(name, value)
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                    def do_POST(self):
                        length = int(self.headers.get("Content-Length", "0"))
                        form = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                        auth = self.headers.get("Authorization")
                        with open(os.path.join(directory, "requests.jsonl"), "a") as f:
                            f.write(json.dumps({"auth": auth, "type": self.headers.get("Content-Type"), "form": form}) + "\n")
                        if auth and base64.b64decode(auth.split(" ")[1]).decode() != "app:pw":
                            return self.answer(401, {"error": "invalid_client", "error_description": "wrong secret"}, [("WWW-Authenticate", 'Basic realm="x"')])
                        if form.get("scope") == ["bad"]:
                            return self.answer(400, {"error": "invalid_scope", "error_description": "bad is not allowed"})
                        self.answer(200, {"access_token": "issued." + form["subject_token"][0], "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
                                          "token_type": "Bearer", "expires_in": 300, "scope": " ".join(form.get("scope", ["all"]))})
                server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
                with open(sys.argv[2] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
                os.rename(sys.argv[2] + ".tmp", sys.argv[2])
                server.serve_forever()
                """#
            let portFile = scratch.path(".port")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, scratch.url.path, portFile]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try TestProcess.launch(process)
            var port: Int?
            for _ in 0..<200 where port == nil {
                port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
                if port == nil { Thread.sleep(forTimeInterval: 0.025) }
            }
            guard let port else {
                kill(process.processIdentifier, SIGKILL)
                throw CocoaError(.fileReadUnknown)
            }
            self.port = port
        }

        var endpoint: String { "http://127.0.0.1:\(port)/token" }

        /// The recorded requests.
        var requests: [[String: Any]] {
            let text = (try? String(contentsOfFile: scratch.path("requests.jsonl"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func exchangesWithBasicAndPrintsTheToken() async throws {
        let server = try FakeTokenEndpoint()
        let result = try await CLI.run([
            "exchange", "--token-endpoint", server.endpoint, "--client-id", "app", "--client-secret", "pw",
            "--scope", "dataset:read:t1", "--scope", "dataset:query:t1", "--resource", "https://api.example", "subject.jwt",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "issued.subject.jwt\n")
        let request = try #require(server.requests.first)
        #expect(request["auth"] as? String == "Basic " + Data("app:pw".utf8).base64EncodedString())
        #expect(request["type"] as? String == "application/x-www-form-urlencoded")
        let form = try #require(request["form"] as? [String: [String]])
        #expect(form["grant_type"] == ["urn:ietf:params:oauth:grant-type:token-exchange"])
        #expect(form["subject_token_type"] == ["urn:ietf:params:oauth:token-type:access_token"])
        #expect(form["scope"] == ["dataset:read:t1 dataset:query:t1"])
        #expect(form["resource"] == ["https://api.example"])
        #expect(form["client_secret"] == nil)
    }

    @Test func postsTheSecretFromTheEnvironmentAndReadsStdin() async throws {
        let server = try FakeTokenEndpoint()
        setenv("PORTCULLIS_TEST_SECRET", "pw", 1)
        let result = try await CLI.run([
            "exchange", "--token-endpoint", server.endpoint, "--client-id", "app", "--client-secret-env", "PORTCULLIS_TEST_SECRET",
            "--auth", "client_secret_post", "--actor-token", "actor.jwt", "--json", "-",
        ], stdin: "  from.stdin\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.json?["access_token"] as? String == "issued.from.stdin")
        #expect(result.json?["expires_in"] as? Int == 300)
        let form = try #require(server.requests.first?["form"] as? [String: [String]])
        #expect(form["client_id"] == ["app"])
        #expect(form["client_secret"] == ["pw"])
        #expect(form["actor_token"] == ["actor.jwt"])
        #expect(form["actor_token_type"] == ["urn:ietf:params:oauth:token-type:access_token"])
        #expect(server.requests.first?["auth"] is NSNull)
    }

    @Test func signsAClientAssertionWithAKey() async throws {
        let server = try FakeTokenEndpoint()
        let key = server.scratch.path("client.jwk")
        let keygen = try await CLI.run(["keygen", "--alg", "ES256", "--kid", "c1", "--private-out", key, "--public-out", server.scratch.path("c.jwks")])
        #expect(keygen.status == 0)
        let result = try await CLI.run(["exchange", "--token-endpoint", server.endpoint, "--client-id", "app", "--client-key", key, "s.jwt"])
        #expect(result.status == 0, "\(result.stderr)")
        let form = try #require(server.requests.first?["form"] as? [String: [String]])
        #expect(form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"])
        let assertion = try #require(form["client_assertion"]?.first)
        let verify = try await CLI.run([
            "verify", "--jwks", server.scratch.path("c.jwks"), "--issuer", "app", "--audience", server.endpoint, "--json", assertion,
        ])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect((verify.json?["claims"] as? [String: Any])?["sub"] as? String == "app")
        #expect((verify.json?["claims"] as? [String: Any])?["jti"] is String)
    }

    @Test func refusalsExitWithOneAndTheServersCode() async throws {
        let server = try FakeTokenEndpoint()
        let scope = try await CLI.run(["exchange", "--token-endpoint", server.endpoint, "--client-id", "app", "--client-secret", "pw", "--scope", "bad", "--json", "s"])
        #expect(scope.status == 1)
        #expect(scope.json?["error"] as? String == "invalid_scope")
        #expect(scope.json?["message"] as? String == "bad is not allowed")
        let client = try await CLI.run(["exchange", "--token-endpoint", server.endpoint, "--client-id", "app", "--client-secret", "wrong", "s"])
        #expect(client.status == 1)
        #expect(client.stderr.contains("invalid_client"))
    }

    @Test(arguments: [
        ["--token-endpoint", "http://example.com/token", "--client-id", "a", "--client-secret", "b", "s"],
        ["--token-endpoint", "https://x.example/token", "--client-id", "a", "s"],
        ["--token-endpoint", "https://x.example/token", "--client-id", "a", "--client-secret", "b", "--auth", "magic", "s"],
        ["--token-endpoint", "https://x.example/token", "--client-id", "a", "--client-secret-env", "PORTCULLIS_UNSET_VARIABLE", "s"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) async throws {
        let result = try await CLI.run(["exchange"] + arguments)
        #expect(result.status == 2, "\(result.stderr)")
    }
}
