public import Logging
public import Metrics

/// Where authorization decisions are logged and counted.
///
/// Decisions are logged through swift-log with ``AuthorizationEvent/metadata`` (never the token),
/// and counted through swift-metrics:
/// - `portcullis_decisions_total{decision="allow"|"deny", reason="<code>"}`, a counter;
/// - `portcullis_verification_duration_seconds`, a timer of token verification.
public struct AuditConfiguration: Sendable {
    /// The audit logger.
    public var logger: Logger
    /// The level allowed decisions are logged at (default `.info`).
    public var allowLevel: Logger.Level
    /// The level refusals are logged at (default `.notice`).
    public var denyLevel: Logger.Level
    /// The metrics factory; `nil` uses the process-wide `MetricsSystem` bootstrap.
    public var metricsFactory: (any MetricsFactory)?
    /// Called with every event after it is logged (for custom sinks); must be fast.
    public var onDecision: (@Sendable (AuthorizationEvent) -> Void)?

    /// Creates an audit configuration.
    public init(
        logger: Logger = Logger(label: "portcullis.audit"), allowLevel: Logger.Level = .info,
        denyLevel: Logger.Level = .notice, metricsFactory: (any MetricsFactory)? = nil,
        onDecision: (@Sendable (AuthorizationEvent) -> Void)? = nil
    ) {
        self.logger = logger
        self.allowLevel = allowLevel
        self.denyLevel = denyLevel
        self.metricsFactory = metricsFactory
        self.onDecision = onDecision
    }
}
