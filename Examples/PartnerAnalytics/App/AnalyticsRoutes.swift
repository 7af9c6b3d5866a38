import Foundation
import Hummingbird
import Portcullis
import PortcullisHummingbird

/// The analytics API: `GET /v1/datasets`, `GET /v1/datasets/{tenant}/{name}` and
/// `POST /v1/datasets/{tenant}/{name}/query`, behind the exchanged tokens.
struct AnalyticsRoutes: Sendable {
    let server: PartnerAnalyticsServer
    let clock: @Sendable () -> NumericDate

    /// The largest query body, in bytes.
    static let maximumBodySize = 16_384

    func register(on router: Router<PartnerAnalyticsServer.Context>) {
        let read = Self.tenantRoute("/v1/datasets/{tenant}/{name}", scope: "dataset:read:{resource.tenant}")
        let query = Self.tenantRoute("/v1/datasets/{tenant}/{name}/query", scope: "dataset:query:{resource.tenant}")
        let list = RouteRequirement("/v1/datasets")
        let api = router.group("v1/datasets").add(middleware: PortcullisMiddleware<PartnerAnalyticsServer.Context>(server.authorizer))
        api.get { request, context in
            var context = context
            let principal = try context.authorize(list, request: request)
            let tenant = principal.token["tenant"]?.stringValue ?? ""
            return PartnerAnalyticsServer.json(server.datasets.list(tenant: tenant))
        }
        api.get(":tenant/:name") { request, context in
            var context = context
            let (tenant, name) = try route(context)
            try context.authorize(read, request: request, attributes: attributes("GET", read.name, tenant, name))
            guard server.datasets.contains(tenant: tenant, name: name) else { return notFound(tenant, name) }
            return PartnerAnalyticsServer.json(server.datasets.describe(tenant: tenant, name: name))
        }
        api.post(":tenant/:name/query") { request, context in
            var context = context
            let (tenant, name) = try route(context)
            try context.authorize(query, request: request, attributes: attributes("POST", query.name, tenant, name))
            guard server.datasets.contains(tenant: tenant, name: name) else { return notFound(tenant, name) }
            var request = request
            let text: String
            do {
                let body = Array(buffer: try await request.collectBody(upTo: Self.maximumBodySize))
                guard case .string(let value)? = try JSONReader.parseObject(body, limits: .default)["query"] else {
                    throw PortcullisError(.invalidRequest, "the body must be {\"query\": \"<text>\"}", claim: "query")
                }
                text = value
            } catch {
                throw context.refuse(
                    PortcullisError(.invalidRequest, "the body must be a JSON object {\"query\": \"<text>\"} of at most \(Self.maximumBodySize) bytes"),
                    request: request, route: query.name)
            }
            let tier = server.tier(of: tenant)
            let quota = Quota.perDay(AnalyticsTiers.quotas[tier] ?? 0, of: "queries")
            let status: QuotaStatus
            do throws(PortcullisError) {
                status = try await server.ledger.consume(units: 1, key: tenant, quota: quota, at: clock())
            } catch {
                throw context.refuse(error, request: request, route: query.name, retryAfter: 60)
            }
            guard status.allowed else {
                throw context.refuse(
                    PortcullisError(
                        .quotaExceeded,
                        "tenant \(tenant)'s \(tier) tier allows \(quota.limit) queries per UTC day; the quota resets at 00:00 UTC in \(status.retryAfterSeconds) s"),
                    request: request, route: query.name, retryAfter: status.retryAfterSeconds)
            }
            var answer = server.datasets.query(tenant: tenant, name: name, query: text)
            answer["quota"] = .object([
                "tier": .string(tier), "limit": .number(JSONNumber(quota.limit)), "remaining": .number(JSONNumber(status.remaining)),
            ])
            return PartnerAnalyticsServer.json(answer)
        }
    }

    /// A route whose tenant-bound scope must match the resource's tenant and the token's `tenant`.
    static func tenantRoute(_ name: String, scope: String) -> RouteRequirement {
        do {
            return RouteRequirement(name, policy: try TenantAlignment(scopeTemplate: scope))
        } catch {
            // The templates are constants containing {resource.tenant}; fail closed regardless.
            return RouteRequirement(name, policy: DenyAll())
        }
    }

    private func route(_ context: PartnerAnalyticsServer.Context) throws -> (String, String) {
        guard let tenant = context.parameters.get("tenant"), let name = context.parameters.get("name") else {
            throw HTTPError(.notFound)
        }
        return (tenant, name)
    }

    private func attributes(_ method: String, _ route: String, _ tenant: String, _ name: String) -> RequestAttributes {
        RequestAttributes(method: method, route: route, resource: ResourceAttributes(tenant: tenant, id: name))
    }

    private func notFound(_ tenant: String, _ name: String) -> Response {
        PartnerAnalyticsServer.json(
            ["error": .string("not_found"), "message": .string("tenant \(tenant) has no dataset \(name)")], status: .notFound)
    }
}

/// Refuses every request (the fallback should a route's policy fail to build).
struct DenyAll: Policy {
    var name: String { "deny_all" }
    func evaluate(_ context: PolicyContext) -> PolicyDecision {
        .deny(Denial(.accessDenied, policy: name, message: "this route is misconfigured and refuses every request"))
    }
}
