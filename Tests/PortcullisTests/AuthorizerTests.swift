import HTTPTypes
import Logging
import Portcullis
import PortcullisTesting
import Synchronization
import Testing

@Suite("Authorizer: verify, policy, rate limit, audit")
struct AuthorizerTests {
    final class Events: Sendable {
        let storage = Mutex<[AuthorizationEvent]>([])
        var all: [AuthorizationEvent] { storage.withLock { $0 } }
    }

    struct Setup {
        let issuer: TestIssuer
        let clock: TestClock
        let events = Events()
        let authorizer: Authorizer

        init() throws {
            clock = TestClock()
            issuer = try TestIssuer(clock: clock)
            let events = self.events
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            authorizer = Authorizer(verifier: try issuer.verifier(), configuration: AuthorizerConfiguration(
                realm: "test",
                audit: AuditConfiguration(logger: logger, onDecision: { event in events.storage.withLock { $0.append(event) } }),
                rateLimiter: RateLimiter(clock: clock.secondsSource),
                clock: clock.now))
        }

        func request(_ token: String?) -> HTTPRequest {
            var request = HTTPRequest(method: .post, scheme: "https", authority: "api.test", path: "/v1/thing?x=1")
            if let token { request.headerFields[.authorization] = "Bearer " + token }
            return request
        }
    }

    @Test func allowsAndAuditsTheClaimsThatDroveTheDecision() async throws {
        let setup = try Setup()
        let token = try setup.issuer.mint(
            subject: "u1", scopes: ["read", "write"], extraClaims: ["tenant": "t1", "client_id": "app", "jti": "j-1"])
        let principal = try await setup.authorizer.authorize(setup.request(token), requirement: .scopes("read"))
        #expect(principal.subject == "u1")
        #expect(principal.scopes == ["read", "write"])
        let event = try #require(setup.events.all.last)
        #expect(event.allowed)
        #expect(event.subject == "u1" && event.tenant == "t1" && event.clientID == "app" && event.jwtID == "j-1")
        #expect(event.keyID == setup.issuer.keyID)
        #expect(event.route == "read")
        #expect(event.metadata["portcullis.decision"] == "allow")
    }

    @Test func policyDenialBecomesA403WithTheScopesThatWouldSatisfyIt() async throws {
        let setup = try Setup()
        let token = try setup.issuer.mint(scopes: ["read"])
        let refusal = await #expect(throws: Refusal.self) {
            try await setup.authorizer.authorize(setup.request(token), requirement: .scopes("read", "write"))
        }
        #expect(refusal?.status == .forbidden)
        #expect(refusal?.response.headerFields[.wwwAuthenticate]?.contains("scope=\"read write\"") == true)
        #expect(refusal?.denial?.code == .insufficientScope)
        let event = try #require(setup.events.all.last)
        #expect(!event.allowed && event.reason == .insufficientScope && event.status == 403)
        #expect(event.policy == "scopes(all: read write)")
    }

    @Test func verificationFailuresAreA401AndLogNoUnverifiedClaims() async throws {
        let setup = try Setup()
        let other = try TestIssuer(clock: setup.clock)
        let forged = try other.mint(subject: "mallory", scopes: ["read"])
        let refusal = await #expect(throws: Refusal.self) {
            try await setup.authorizer.authorize(setup.request(forged), requirement: .scopes("read"))
        }
        #expect(refusal?.status == .unauthorized)
        #expect(refusal?.code == .invalidSignature)
        let event = try #require(setup.events.all.last)
        #expect(event.subject == nil)
        #expect(event.route == "read")
    }

    @Test func rateLimitCountsOnlyAllowedRequestsAndRecoversWithTime() async throws {
        let setup = try Setup()
        let token = try setup.issuer.mint(subject: "u2", scopes: ["read"])
        let rule = RateLimitRule(key: .subject, limit: .fixed(RateLimit(requests: 2, period: 10), name: "tight"))
        let requirement = RouteRequirement("tight", policy: RequireScopes(allOf: ["read"]), rateLimit: rule)
        let first = try await setup.authorizer.authorize(setup.request(token), requirement: requirement)
        #expect(first.rateLimit?.remaining == 1)
        #expect(first.rateLimitFields[RateLimitHeaders.policyName] == "\"tight\";q=2;w=10")
        _ = try await setup.authorizer.authorize(setup.request(token), requirement: requirement)
        let refusal = await #expect(throws: Refusal.self) {
            try await setup.authorizer.authorize(setup.request(token), requirement: requirement)
        }
        #expect(refusal?.status == .tooManyRequests)
        #expect(refusal?.response.headerFields[.retryAfter] == "5")
        setup.clock.advance(by: 5)
        #expect(try await setup.authorizer.authorize(setup.request(token), requirement: requirement).rateLimit?.remaining == 0)
    }

    @Test func precheckAuditsOnlyRefusals() async throws {
        let setup = try Setup()
        let token = try await setup.authorizer.verifier.verifyToken(Substring(setup.issuer.mint(scopes: ["read"])))
        try setup.authorizer.precheck(token, request: setup.request(nil), requirement: .scopes("read"))
        #expect(setup.events.all.isEmpty)
        #expect(throws: Refusal.self) {
            try setup.authorizer.precheck(token, request: setup.request(nil), requirement: .scopes("admin"))
        }
        #expect(setup.events.all.count == 1)
    }

    @Test func refusalsFoundByHandlersHaveTheSameShape() throws {
        let setup = try Setup()
        let refusal = setup.authorizer.refuse(
            PortcullisError(.requestTooLarge, "too big"), request: setup.request(nil), route: "upload")
        #expect(refusal.status == .contentTooLarge)
        #expect(String(decoding: refusal.body, as: UTF8.self) == "{\"error\":\"request_too_large\",\"message\":\"too big\"}")
        #expect(setup.events.all.last?.reason == .requestTooLarge)
    }
}
