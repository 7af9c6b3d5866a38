/// Receives audit events. Implementations must be fast and must not throw: a slow sink slows
/// every request (buffer and ship asynchronously inside the sink).
public protocol AuditSink: Sendable {
    /// Records one decision.
    func record(_ event: PolicyAuditEvent)
}

/// An ``AuditSink`` that calls a closure (bridge to any logger).
///
/// ```swift
/// let sink = ClosureAuditSink { event in logger.info("authz", metadata: event.metadata.mapValues { .string($0) }) }
/// ```
public struct ClosureAuditSink: AuditSink {
    private let body: @Sendable (PolicyAuditEvent) -> Void

    /// Wraps `body`.
    public init(_ body: @escaping @Sendable (PolicyAuditEvent) -> Void) {
        self.body = body
    }

    /// Calls the closure.
    public func record(_ event: PolicyAuditEvent) { body(event) }
}

extension Policy {
    /// Evaluates the policy and records the decision in `sink`.
    public func evaluate(_ context: PolicyContext, audit sink: any AuditSink) -> PolicyDecision {
        let decision = evaluate(context)
        sink.record(PolicyAuditEvent(context: context, policy: name, decision: decision))
        return decision
    }
}
