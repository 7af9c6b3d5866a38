import PortcullisJOSE
import PortcullisPolicy
import Testing

@Suite("Usage ledger: quotas per UTC day, atomic consumption, bounded memory")
struct UsageLedgerTests {
    /// 2027-01-15T23:59:00Z.
    static let beforeMidnight = NumericDate(1_800_057_540)
    static let quota = Quota.perDay(100, of: "queries")

    @Test func consumeRefusesWhatWouldExceedAndResetsAtUTCMidnight() async throws {
        let ledger = InMemoryUsageLedger()
        let first = try await ledger.consume(units: 60, key: "t123", quota: Self.quota, at: Self.beforeMidnight)
        #expect(first.allowed && first.used == 60 && first.remaining == 40)
        #expect(first.resetsAt.secondsSince1970 == 1_800_057_600)
        #expect(first.retryAfter == 0)
        let over = try await ledger.consume(units: 41, key: "t123", quota: Self.quota, at: Self.beforeMidnight)
        #expect(!over.allowed && over.used == 60)
        #expect(over.retryAfterSeconds == 60)
        #expect(over.denial?.code == .quotaExceeded)
        let exact = try await ledger.consume(units: 40, key: "t123", quota: Self.quota, at: Self.beforeMidnight)
        #expect(exact.allowed && exact.remaining == 0)
        let admission = try await ledger.consume(units: 0, key: "t123", quota: Self.quota, at: Self.beforeMidnight)
        #expect(!admission.allowed, "zero units is an admission check: nothing remains")
        let nextDay = NumericDate(1_800_057_600)
        let fresh = try await ledger.consume(units: 1, key: "t123", quota: Self.quota, at: nextDay)
        #expect(fresh.allowed && fresh.used == 1)
        #expect(fresh.periodStart == nextDay)
        #expect(fresh.resetAfter == 86_400)
    }

    @Test func recordIsUnconditionalAndStatusReads() async throws {
        let ledger = InMemoryUsageLedger()
        let tokens = Quota.perDay(1000, of: "completion_tokens")
        _ = try await ledger.record(units: 900, key: "u", quota: tokens, at: Self.beforeMidnight)
        let recorded = try await ledger.record(units: 300, key: "u", quota: tokens, at: Self.beforeMidnight)
        #expect(recorded.used == 1200 && recorded.remaining == 0 && !recorded.allowed)
        let status = try await ledger.status(key: "u", quota: tokens, at: Self.beforeMidnight)
        #expect(status.used == 1200)
        let otherUnit = try await ledger.status(key: "u", quota: Self.quota, at: Self.beforeMidnight)
        #expect(otherUnit.used == 0, "quotas of different units are counted apart")
        let error = await #expect(throws: PortcullisError.self) {
            _ = try await ledger.consume(units: -1, key: "u", quota: tokens, at: Self.beforeMidnight)
        }
        #expect(error?.code == .malformed)
    }

    @Test func concurrentConsumersNeverExceedTheLimit() async throws {
        let ledger = InMemoryUsageLedger()
        let accepted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var count = 0
                    for _ in 0..<50 where (try? await ledger.consume(units: 1, key: "hot", quota: Self.quota, at: Self.beforeMidnight))?.allowed == true {
                        count += 1
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(accepted == 100)
        #expect(try await ledger.status(key: "hot", quota: Self.quota, at: Self.beforeMidnight).used == 100)
    }

    @Test func memoryIsBoundedAndPastPeriodsAreDropped() async throws {
        let ledger = InMemoryUsageLedger(maximumKeys: 100)
        for index in 0..<100 { _ = try await ledger.consume(units: 1, key: "k\(index)", quota: Self.quota, at: Self.beforeMidnight) }
        let error = await #expect(throws: PortcullisError.self) {
            _ = try await ledger.consume(units: 1, key: "new", quota: Self.quota, at: Self.beforeMidnight)
        }
        #expect(error?.code == .quotaExceeded, "a full ledger refuses new keys rather than forgetting usage")
        #expect(try await ledger.consume(units: 1, key: "k5", quota: Self.quota, at: Self.beforeMidnight).allowed)
        let tomorrow = NumericDate(Self.beforeMidnight.secondsSince1970 + 120)
        #expect(try await ledger.consume(units: 1, key: "new", quota: Self.quota, at: tomorrow).allowed)
        #expect(ledger.count == 1)
    }
}
