import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Testing

/// The JSON API of the DESIGN.md model-portal contract, over real HTTP: shapes, statuses, bodies.
@Suite("Model portal: the JSON API")
struct ContractTests {
    @Test func listShowsNameVersionCountAndDeployedVersion() async throws {
        try await PortalHarness.run { harness in
            let result = try await harness.send("GET", "/api/models", token: try await harness.token("Viewer"))
            #expect(result.status == 200)
            #expect(result.header("Content-Type") == "application/json")
            #expect(result.body == #"{"models":[{"name":"fraud-detector","versions":1,"deployed":null},{"name":"sentiment","versions":3,"deployed":2}]}"#)
        }
    }

    @Test func createUploadDeployDeleteLifecycle() async throws {
        try await PortalHarness.run { harness in
            let scientist = try await harness.token("Data Scientist", subject: "ada")
            let admin = try await harness.token("Admin")
            let created = try await harness.send("POST", "/api/models", token: scientist, json: #"{"name": "churn"}"#)
            #expect(created.status == 201)
            #expect(created.header("Location") == "/api/models/churn")
            #expect(created.body == #"{"name":"churn","versions":0,"deployed":null}"#)
            // No version yet: nothing to deploy.
            let early = try await harness.send("POST", "/api/models/churn/deploy", token: admin)
            #expect(early.status == 409)
            #expect(early.json?["error"] as? String == "conflict")
            // Versions are numbered from 1; the note is optional.
            let first = try await harness.send("POST", "/api/models/churn/versions", token: scientist, json: #"{"note": "first"}"#)
            #expect(first.status == 201)
            #expect(first.body == #"{"name":"churn","version":1}"#)
            let second = try await harness.send("POST", "/api/models/churn/versions", token: scientist)
            #expect(second.json?["version"] as? Int == 2)
            // Deploy the latest, then a chosen one.
            let latest = try await harness.send("POST", "/api/models/churn/deploy", token: admin)
            #expect(latest.body == #"{"name":"churn","versions":2,"deployed":2}"#)
            let chosen = try await harness.send("POST", "/api/models/churn/deploy", token: admin, json: #"{"version": 1}"#)
            #expect(chosen.json?["deployed"] as? Int == 1)
            let missing = try await harness.send("POST", "/api/models/churn/deploy", token: admin, json: #"{"version": 9}"#)
            #expect(missing.status == 404)
            #expect(missing.json?["message"] as? String == "the model churn has no version 9")
            // Read shows the history.
            let read = try await harness.send("GET", "/api/models/churn", token: scientist)
            #expect(read.body == #"{"name":"churn","versions":2,"deployed":1,"history":[{"version":1,"note":"first","uploaded_by":"ada"},{"version":2,"note":"","uploaded_by":"ada"}]}"#)
            // A second model with the same name is a conflict.
            let duplicate = try await harness.send("POST", "/api/models", token: scientist, json: #"{"name": "churn"}"#)
            #expect(duplicate.status == 409)
            // Delete, then it is gone.
            let deleted = try await harness.send("DELETE", "/api/models/churn", token: admin)
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)
            #expect(try await harness.send("GET", "/api/models/churn", token: scientist).status == 404)
        }
    }

    @Test(arguments: [
        ("GET", "/api/models/nope"), ("POST", "/api/models/nope/versions"), ("POST", "/api/models/nope/deploy"),
        ("DELETE", "/api/models/nope"),
    ])
    func unknownModelIs404(method: String, path: String) async throws {
        try await PortalHarness.run { harness in
            let result = try await harness.send(method, path, token: try await harness.token("Admin"))
            #expect(result.status == 404)
            #expect(result.json?["error"] as? String == "not_found")
            #expect(result.json?["message"] as? String == "there is no model named nope")
        }
    }

    @Test func unknownModelIsStill403WithoutThePermission() async throws {
        try await PortalHarness.run { harness in
            // The permission is checked before the model is looked up: no probing for names.
            let result = try await harness.send("DELETE", "/api/models/nope", token: try await harness.token("Viewer"))
            #expect(result.status == 403)
            #expect(result.json?["error"] as? String == "access_denied")
        }
    }

    @Test(arguments: [
        ("/api/models", "{"), ("/api/models", "[]"), ("/api/models", "{}"), ("/api/models", #"{"name": 3}"#),
        ("/api/models", #"{"name": ""}"#), ("/api/models", #"{"name": "two words"}"#), ("/api/models", #"{"name": "-x"}"#),
        ("/api/models", "{\"name\": \"" + String(repeating: "a", count: 65) + "\"}"), ("/api/models", ""),
        ("/api/models/sentiment/versions", #"{"note": 5}"#),
        ("/api/models/sentiment/versions", "{\"note\": \"" + String(repeating: "n", count: 1001) + "\"}"),
        ("/api/models/sentiment/deploy", #"{"version": "1"}"#), ("/api/models/sentiment/deploy", #"{"version": 0}"#),
        ("/api/models/sentiment/deploy", #"{"version": 1.5}"#), ("/api/models/sentiment/deploy", "null"),
    ])
    func badBodyIs400InvalidRequest(path: String, body: String) async throws {
        try await PortalHarness.run { harness in
            let result = try await harness.send("POST", path, token: try await harness.token("Admin"), json: body)
            #expect(result.status == 400, "\(path) \(body): \(result.body)")
            #expect(result.json?["error"] as? String == "invalid_request")
            #expect((result.json?["message"] as? String)?.isEmpty == false)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await PortalHarness.run { harness in
            let body = "{\"note\": \"" + String(repeating: "x", count: 20_000) + "\"}"
            let result = try await harness.send("POST", "/api/models/sentiment/versions", token: try await harness.token("Admin"), json: body)
            #expect(result.status == 413)
            #expect(result.json?["error"] as? String == "request_too_large")
        }
    }

    @Test func devTokenNeedsAKnownRole() async throws {
        try await PortalHarness.run { harness in
            for form in ["role=Intern", "role=admin", "", "sub=x"] {
                let result = try await Curl.request(
                    "POST", harness.base + "/dev/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
                #expect(result.status == 400, "form \(form)")
                #expect(result.json?["error"] as? String == "invalid_request")
            }
            let json = try await Curl.request(
                "POST", harness.base + "/dev/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "role=Data+Scientist")
            #expect(json.status == 200)
            #expect(json.json?["token_type"] as? String == "Bearer")
            #expect(json.json?["role"] as? String == "Data Scientist")
        }
    }

    @Test func discoveryAndKeySetArePublished() async throws {
        try await PortalHarness.run { harness in
            let discovery = try await Curl.request("GET", harness.base + "/.well-known/openid-configuration")
            #expect(discovery.json?["issuer"] as? String == harness.base)
            #expect(discovery.json?["jwks_uri"] as? String == harness.base + "/.well-known/jwks.json")
            let jwks = try await Curl.request("GET", harness.base + "/.well-known/jwks.json")
            let keys = try #require(jwks.json?["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            #expect(keys.first?["d"] == nil)
            #expect(keys.first?["kid"] as? String == (try harness.issuer).keyID)
        }
    }
}
