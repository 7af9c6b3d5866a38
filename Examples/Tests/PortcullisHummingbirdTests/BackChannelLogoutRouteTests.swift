import ExamplesTestSupport
import Foundation
import Portcullis
import PortcullisHummingbird
import PortcullisTesting
import Testing

/// `POST /backchannel-logout` (OpenID Connect Back-Channel Logout 1.0) over real HTTP: the
/// provider ends a user's sessions here; anything that is not a valid Logout Token changes nothing.
@Suite("Hummingbird sign-in: back-channel logout")
struct BackChannelLogoutRouteTests {
    static let event: JSONObject = ["http://schemas.openid.net/event/backchannel-logout": .object([:])]

    static func logoutToken(_ harness: SignInHarness, _ changes: JSONObject = [:]) throws -> String {
        var claims: JSONObject = ["jti": .string(UUID().uuidString), "events": .object(event)]
        for member in changes { claims[member.name] = member.value }
        return try harness.provider.keys.mint(subject: "ada", extraClaims: claims, type: "logout+jwt")
    }

    static func post(_ harness: SignInHarness, _ body: String, type: String = "application/x-www-form-urlencoded") async throws -> HTTPResult {
        try await Curl.request("POST", harness.base + "/backchannel-logout", headers: [("Content-Type", type)], body: body)
    }

    @Test func theProviderEndsTheUsersSessions() async throws {
        try await SignInHarness.run { harness in
            let ada = CookieBrowser(base: harness.base), vera = CookieBrowser(base: harness.base)
            defer { ada.remove(); vera.remove() }
            try await ada.signIn(as: "ada")
            try await vera.signIn(as: "vera")
            #expect(try await ada.get("/app/me").body == "ada")

            // Not a Logout Token (no events), then a second logout_token: refused, nothing ends.
            let invalid = try await Self.post(harness, "logout_token=" + (try Self.logoutToken(harness, ["events": .null])))
            #expect(invalid.status == 400)
            #expect(invalid.json?["error"] as? String == "invalid_request")
            #expect((invalid.json?["error_description"] as? String)?.contains("not a valid Logout Token") == true, "\(invalid.body)")
            #expect(invalid.header("cache-control") == "no-store")
            let token = try Self.logoutToken(harness)
            #expect(try await Self.post(harness, "logout_token=\(token)&logout_token=\(token)").status == 400)
            #expect(try await Self.post(harness, #"{"logout_token": "\#(token)"}"#, type: "application/json").status == 400)
            #expect(try await ada.get("/app/me").body == "ada")

            let ended = try await Self.post(harness, "logout_token=" + token)
            #expect(ended.status == 200)
            #expect(ended.header("cache-control") == "no-store")
            let me = try await ada.get("/app/me")
            #expect(me.status == 303, "ada's session ended: \(me.status) \(me.body)")
            #expect(try await vera.get("/app/me").body == "vera", "other users keep theirs")
            // The same token again: a replay, refused; a new one for nobody signed in: 200 (idempotent).
            #expect(try await Self.post(harness, "logout_token=" + token).status == 400)
            #expect(try await Self.post(harness, "logout_token=" + (try Self.logoutToken(harness))).status == 200)
        }
    }
}
