public import Portcullis

/// The analytics datasets: every tenant has `sales` and `usage`, seeded at start.
public struct Datasets: Sendable {
    /// The dataset names every tenant starts with.
    public static let seeded = ["sales", "usage"]
    /// Tenant → dataset names.
    public let byTenant: [String: [String]]

    /// Seeds `sales` and `usage` for each tenant.
    public init(tenants: some Sequence<String>) {
        var byTenant: [String: [String]] = [:]
        for tenant in tenants { byTenant[tenant] = Self.seeded }
        self.byTenant = byTenant
    }

    /// Whether `tenant` has dataset `name`.
    public func contains(tenant: String, name: String) -> Bool { byTenant[tenant]?.contains(name) == true }

    /// `{"datasets": [{"tenant", "name"}, …]}` for one tenant.
    public func list(tenant: String) -> JSONObject {
        ["datasets": .array((byTenant[tenant] ?? []).map { .object(["tenant": .string(tenant), "name": .string($0)]) })]
    }

    /// A dataset's description.
    public func describe(tenant: String, name: String) -> JSONObject {
        [
            "tenant": .string(tenant), "name": .string(name),
            "columns": .array((name == "sales" ? ["month", "region", "revenue"] : ["day", "requests", "errors"]).map(JSONValue.string)),
        ]
    }

    /// Deterministic sample rows answering `query` (a stand-in for a query engine).
    public func query(tenant: String, name: String, query: String) -> JSONObject {
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (tenant + "/" + name + "/" + query).utf8 { seed = (seed ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let rows: [JSONValue] = (1...3).map { index in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = JSONValue.number(JSONNumber(Int64((seed >> 33) % 10_000)))
            return name == "sales"
                ? .object(["month": .string("2026-0\(index)"), "region": .string("emea"), "revenue": value])
                : .object(["day": .string("2026-11-0\(index)"), "requests": value, "errors": .number(JSONNumber(index))])
        }
        return ["tenant": .string(tenant), "dataset": .string(name), "query": .string(query), "rows": .array(rows)]
    }
}
