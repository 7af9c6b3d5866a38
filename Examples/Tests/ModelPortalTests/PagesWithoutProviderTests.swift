import ExamplesTestSupport
import Foundation
import ModelPortalKit
import Testing

/// With the development issuer there is no provider to sign in with: the pages say so, and
/// nothing on them can create a session.
@Suite("Model portal: pages without an OpenID provider")
struct PagesWithoutProviderTests {
    @Test func signInPagesExplainThatAnIssuerIsNeeded() async throws {
        try await PortalHarness.run { harness in
            #expect(harness.portal.signIn == nil)
            let home = try await Curl.request("GET", harness.base + "/")
            #expect(home.status == 200)
            #expect(home.header("content-type") == "text/html; charset=utf-8")
            #expect(home.header("cache-control") == "no-store")
            #expect(home.body.contains("needs an OpenID provider"))
            for path in ["/login", "/callback?code=x&state=y", "/models"] {
                let page = try await Curl.request("GET", harness.base + path)
                #expect(page.status == 404, "\(path)")
                #expect(page.header("set-cookie") == nil)
            }
            let cookie = try await Curl.request(
                "GET", harness.base + "/api/models", headers: [("Cookie", "portcullis_session=k1.AAAA")])
            #expect(cookie.status == 401)
        }
    }
}
