public import Logging
import Synchronization

/// A swift-log handler that keeps every record in memory, for tests that check audit events.
///
/// ```swift
/// let recorder = RecordingLogHandler.Store()
/// let logger = Logger(label: "audit") { _ in RecordingLogHandler(store: recorder) }
/// // … run requests …
/// #expect(recorder.records.contains { $0.metadata["portcullis.decision"] == "deny" })
/// ```
public struct RecordingLogHandler: LogHandler {
    /// One logged record.
    public struct Record: Sendable {
        /// The level.
        public let level: Logger.Level
        /// The message.
        public let message: String
        /// The merged metadata (handler, then call site), rendered as strings.
        public let metadata: [String: String]
    }

    /// Where records go; share one between the handler and the test.
    public final class Store: Sendable {
        private let storage = Mutex<[Record]>([])
        /// Creates an empty store.
        public init() {}
        /// Every record so far, in order.
        public var records: [Record] { storage.withLock { $0 } }
        /// Forgets every record.
        public func removeAll() { storage.withLock { $0.removeAll() } }
        func append(_ record: Record) { storage.withLock { $0.append(record) } }
    }

    /// The store records go to.
    public let store: Store
    /// Handler-level metadata.
    public var metadata: Logger.Metadata = [:]
    /// The minimum level recorded (default `.trace`: everything).
    public var logLevel: Logger.Level = .trace

    /// Creates a handler writing to `store`.
    public init(store: Store) {
        self.store = store
    }

    /// Handler-level metadata access.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Records one log call.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        store.append(Record(level: event.level, message: event.message.description, metadata: merged.mapValues { $0.description }))
    }
}
