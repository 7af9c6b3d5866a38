import PortcullisPolicy
import PortcullisTesting
import Testing

@Suite("Rate limiter: GCRA under an injected clock, concurrency and key floods")
struct RateLimiterTests {
    @Test func burstThenSustainedRate() {
        let clock = TestClock(1000)
        let limiter = RateLimiter(clock: clock.secondsSource)
        let limit = RateLimit(requests: 10, period: 60, burst: 3)
        let first = limiter.check("k", limit: limit)
        #expect(first.allowed && first.remaining == 2)
        #expect(abs(first.resetAfter - 6) < 1e-9)
        #expect(limiter.check("k", limit: limit).remaining == 1)
        #expect(limiter.check("k", limit: limit).remaining == 0)
        let refused = limiter.check("k", limit: limit)
        #expect(!refused.allowed)
        #expect(abs(refused.retryAfter - 6) < 1e-9)
        #expect(refused.retryAfterSeconds == 6)
        #expect(abs(refused.resetAfter - 18) < 1e-9)
        clock.advance(by: 5.9)
        #expect(!limiter.check("k", limit: limit).allowed)
        clock.advance(by: 0.1)
        #expect(limiter.check("k", limit: limit).allowed)
        // Sustained: one request per 6 s keeps being allowed.
        for _ in 0..<20 {
            clock.advance(by: 6)
            #expect(limiter.check("k", limit: limit).allowed)
        }
        clock.advance(by: 60)
        #expect(limiter.check("k", limit: limit).remaining == 2, "the full burst returns after a quiet spell")
    }

    @Test func keysAreIndependentAndZeroRateRefuses() {
        let limiter = RateLimiter(clock: { 0 })
        #expect(limiter.check("a", limit: .perMinute(1)).allowed)
        #expect(!limiter.check("a", limit: .perMinute(1)).allowed)
        #expect(limiter.check("b", limit: .perMinute(1)).allowed)
        let zero = limiter.check("c", limit: RateLimit(requests: 0, period: 60))
        #expect(!zero.allowed && zero.retryAfter == 60)
    }

    @Test func concurrentChecksAllowExactlyTheBurstAtAFrozenClock() async {
        let limiter = RateLimiter(clock: { 5000 })
        let limit = RateLimit(requests: 50, period: 60, burst: 50)
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<100).reduce(0) { count, _ in count + (limiter.check("hot", limit: limit).allowed ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 50)
    }

    @Test func keyFloodStaysWithinMaximumKeys() {
        let clock = TestClock(0)
        let limiter = RateLimiter(maximumKeys: 1024, shards: 8, clock: clock.secondsSource)
        for index in 0..<50_000 {
            _ = limiter.check("key-\(index)", limit: .perMinute(10))
            if index % 1000 == 0 { clock.advance(by: 0.01) }
        }
        #expect(limiter.count <= 1024)
        #expect(limiter.count > 0)
    }
}
