import ExamplesTestSupport
import Foundation
import Testing

/// Another implementation on both sides: Authlib (over httpx) performs the exchange, and PyJWT
/// verifies the issued token with the service's published JWK Set.
@Suite("Partner analytics: interop with Authlib and PyJWT", .timeLimit(.minutes(2)))
struct InteropTests {
    static let python = ProcessInfo.processInfo.environment["PORTCULLIS_INTEROP_PYTHON"]

    /// The Python client: exchange with client_secret_basic, then verify with PyJWT.
    static let script = #"""
    import json, sys
    import jwt
    from authlib.integrations.httpx_client import OAuth2Client

    base, subject_token = sys.argv[1], sys.argv[2]
    client = OAuth2Client("demo-partner", "demo-secret", token_endpoint_auth_method="client_secret_basic")
    token = client.fetch_token(
        base + "/oauth2/token",
        grant_type="urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token=subject_token,
        subject_token_type="urn:ietf:params:oauth:token-type:access_token",
        scope="dataset:read:t123",
    )
    metadata = client.get(base + "/.well-known/oauth-authorization-server").json()
    jwks = jwt.PyJWKClient(metadata["jwks_uri"])
    key = jwks.get_signing_key_from_jwt(token["access_token"])
    claims = jwt.decode(
        token["access_token"], key.key, algorithms=["ES256"], audience=base, issuer=metadata["issuer"],
        options={"require": ["exp", "iat", "sub"]},
    )
    api = client.get(base + "/v1/datasets/t123/sales", headers={"Authorization": "Bearer " + token["access_token"]})
    print(json.dumps({
        "token_type": token["token_type"], "scope": token["scope"], "expires_in": token["expires_in"],
        "issued_token_type": token["issued_token_type"], "claims": claims, "api_status": api.status_code,
    }))
    """#

    @Test(.enabled(if: python != nil, "set PORTCULLIS_INTEROP_PYTHON to a Python with authlib, httpx and pyjwt (scripts/test.sh creates .venv-interop)"))
    func authlibExchangesAndPyJWTVerifies() async throws {
        guard let python = Self.python else { return }
        try await Harness.run { harness in
            let output = try await Subprocess.run(python, ["-W", "ignore", "-c", Self.script, harness.base, try harness.partnerToken()])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let json = try #require((try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [String: Any], "\(output.stdout)")
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["scope"] as? String == "dataset:read:t123")
            #expect(json["expires_in"] as? Int == 300)
            #expect(json["issued_token_type"] as? String == "urn:ietf:params:oauth:token-type:access_token")
            #expect(json["api_status"] as? Int == 200)
            let claims = try #require(json["claims"] as? [String: Any])
            #expect(claims["tenant"] as? String == "t123")
            #expect(claims["client_id"] as? String == "demo-partner")
            #expect((claims["act"] as? [String: Any])?["sub"] as? String == "demo-partner")
        }
    }
}
