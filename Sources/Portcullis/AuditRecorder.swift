import Logging
import Metrics
import PortcullisJOSE

/// Logs and counts events; counters are created once per (decision, reason), not per request.
struct AuditRecorder: Sendable {
    let configuration: AuditConfiguration
    private let allowed: Counter
    private let denied: [String: Counter]
    private let deniedOther: Counter
    let verificationTimer: Metrics.Timer

    init(_ configuration: AuditConfiguration) {
        self.configuration = configuration
        let factory = configuration.metricsFactory ?? MetricsSystem.factory
        let label = "portcullis_decisions_total"
        allowed = Counter(label: label, dimensions: [("decision", "allow"), ("reason", "none")], factory: factory)
        var denied: [String: Counter] = [:]
        for code in PortcullisError.Code.allCases {
            denied[code.rawValue] = Counter(
                label: label, dimensions: [("decision", "deny"), ("reason", code.rawValue)], factory: factory)
        }
        self.denied = denied
        deniedOther = Counter(label: label, dimensions: [("decision", "deny"), ("reason", "other")], factory: factory)
        verificationTimer = Metrics.Timer(label: "portcullis_verification_duration_seconds", factory: factory)
    }

    /// Counts a decision (always) by its reason.
    func count(allowed isAllowed: Bool, reason: PortcullisError.Code?) {
        if isAllowed {
            allowed.increment()
        } else {
            (reason.flatMap { denied[$0.rawValue] } ?? deniedOther).increment()
        }
    }

    /// Whether an event for such a decision would be logged or handed to a sink.
    func wantsEvent(allowed: Bool) -> Bool {
        configuration.onDecision != nil
            || configuration.logger.logLevel <= (allowed ? configuration.allowLevel : configuration.denyLevel)
    }

    /// Logs `event` at its level and hands it to the sink (counting is separate: ``count(allowed:reason:)``).
    func emit(_ event: AuthorizationEvent) {
        let level = event.allowed ? configuration.allowLevel : configuration.denyLevel
        if configuration.logger.logLevel <= level {
            configuration.logger.log(
                level: level, "\(event.allowed ? "allowed" : "denied") \(event.method) \(event.route)",
                metadata: event.metadata)
        }
        configuration.onDecision?(event)
    }

    /// Counts and emits an event.
    func record(_ event: AuthorizationEvent) {
        count(allowed: event.allowed, reason: event.reason)
        emit(event)
    }
}
