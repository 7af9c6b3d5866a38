public import PortcullisJOSE

/// Counts usage (units per period) against quotas: the asynchronous store behind tier quotas.
///
/// Keys are whatever the application bills by (the tenant, the subject, the client); one key may
/// carry several quotas, told apart by ``Quota/unit`` and ``Quota/period``. Periods are aligned
/// to the Unix epoch (``Quota/periodBounds(at:)``): a day is a UTC day.
///
/// ``InMemoryUsageLedger`` serves a single process. Servers with several replicas share a store
/// that implements the same three requirements on a database, each as one atomic statement,
/// for example in PostgreSQL with a table `usage(key, unit, period_start, used)` whose primary
/// key is `(key, unit, period_start)`:
///
/// ```sql
/// -- consume: check and add in one statement; no row returned means "refused".
/// INSERT INTO usage AS u (key, unit, period_start, used) VALUES ($1, $2, $3, $4)
///   WHERE $4 <= $5                                   -- a first request larger than the limit
/// ON CONFLICT (key, unit, period_start)
///   DO UPDATE SET used = u.used + EXCLUDED.used
///   WHERE u.used + EXCLUDED.used <= $5               -- $5 = quota.limit
/// RETURNING used;
/// -- record: the same UPSERT without the two WHERE clauses.
/// -- status: SELECT used FROM usage WHERE key = $1 AND unit = $2 AND period_start = $3;
/// ```
///
/// Old periods are deleted by a periodic job (`DELETE FROM usage WHERE period_start < $cutoff`).
/// (PostgreSQL has no `WHERE` on `INSERT … VALUES`; write the first clause as
/// `INSERT … SELECT $1, $2, $3, $4 WHERE $4 <= $5`.)
public protocol UsageLedger: Sendable {
    /// Atomically adds `units` to the key's usage for the period containing `now` when the result
    /// stays within ``Quota/limit``; otherwise changes nothing and returns a refused status.
    ///
    /// Zero units is an admission check: allowed only while at least one unit remains (use it
    /// before work whose cost is known only afterwards, then ``record(units:key:quota:at:)``).
    /// - Throws: when the store cannot answer; callers must then refuse the request (fail closed).
    func consume(units: Int, key: String, quota: Quota, at now: NumericDate) async throws(PortcullisError) -> QuotaStatus

    /// Adds `units` unconditionally, for usage known only after the response (completion
    /// tokens). Usage may then exceed the limit; the next ``consume(units:key:quota:at:)`` refuses.
    func record(units: Int, key: String, quota: Quota, at now: NumericDate) async throws(PortcullisError) -> QuotaStatus

    /// The key's usage in the period containing `now`, without changing it.
    func status(key: String, quota: Quota, at now: NumericDate) async throws(PortcullisError) -> QuotaStatus
}
