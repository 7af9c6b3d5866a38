import PortcullisJOSE
import PortcullisJWT
import PortcullisPolicy
import PortcullisTesting
import Synchronization
import Testing

@Suite("Audit events")
struct AuditEventTests {
    @Test func denialEventCarriesClaimsButNeverTheToken() throws {
        let claims: JSONObject = ["tenant": .string("t123"), "client_id": .string("partner-app"), "jti": .string("j-1")]
        let request = RequestAttributes(method: "GET", route: "/v1/datasets/{tenant}/{name}", resource: ResourceAttributes(tenant: "t456"))
        let token = try Fixture.issuer.mint(subject: "svc-9", scopes: ["dataset:read:t456"], extraClaims: claims)
        let context = PolicyContext(token: try Fixture.issuer.verifier().verify(token), request: request, now: Fixture.issuer.clock.date)
        let policy = try AllOf("GET /v1/datasets/{tenant}/{name}") { try TenantAlignment(scopeTemplate: "dataset:read:{resource.tenant}") }
        let events = Mutex<[PolicyAuditEvent]>([])
        let decision = policy.evaluate(context, audit: ClosureAuditSink { event in events.withLock { $0.append(event) } })
        let event = try #require(events.withLock { $0.first })
        #expect(!decision.isAllowed)
        #expect(event.decision == .deny)
        #expect(event.code == .accessDenied)
        #expect(event.policyPath == ["GET /v1/datasets/{tenant}/{name}", "tenant(dataset:read:{resource.tenant})"])
        #expect(event.subject == "svc-9" && event.clientID == "partner-app" && event.tenant == "t123")
        #expect(event.keyID == Fixture.issuer.keyID && event.jwtID == "j-1")
        #expect(event.scopes == ["dataset:read:t456"] && event.resourceTenant == "t456")
        let json = event.jsonValue.serializedString()
        #expect(json.contains("\"decision\":\"deny\""))
        #expect(!json.contains(token.split(separator: ".")[2]), "the signature never appears")
        #expect(!json.contains(token.split(separator: ".")[1]), "the encoded payload never appears")
        #expect(event.metadata["code"] == "access_denied")
    }

    @Test func allowEventHasNoCode() throws {
        let context = try Fixture.context(scopes: ["a"])
        let event = PolicyAuditEvent(context: context, policy: "route", decision: RequireScopes(allOf: ["a"]).evaluate(context))
        #expect(event.decision == .allow && event.code == nil && event.denial == nil)
        #expect(event.policyPath == ["route"])
    }
}
