public import Foundation
import Synchronization

/// The current ``PolicyDocument``, reloadable while the server runs.
///
/// Each request reads ``current`` once and evaluates against that immutable snapshot, so a
/// reload never changes the rules under a request in flight: requests that started before the
/// swap finish with the old document, requests that start after it see the new one. A reload that
/// fails (unreadable or invalid file) keeps the old document, records the error in
/// ``lastReloadError`` and throws it.
///
/// ```swift
/// let store = try PolicyStore(contentsOf: URL(fileURLWithPath: "policies/partner-analytics.yaml"))
/// // on SIGHUP, or when the file changes:
/// do { try store.reload() } catch { logger.error("policy reload failed: \(error)") }
/// // per request:
/// let policies = store.current
/// ```
public final class PolicyStore: Sendable {
    /// The file reloads read, when the store was created from one.
    public let url: URL?
    private let state: Mutex<State>

    private struct State: Sendable {
        var document: PolicyDocument
        var generation: Int
        var lastError: PolicyFileError?
    }

    /// A store holding `document` (reloads then need ``replace(with:)``).
    public init(_ document: PolicyDocument) {
        self.url = nil
        self.state = Mutex(State(document: document, generation: 1, lastError: nil))
    }

    /// A store loaded from the policy file at `url`.
    /// - Throws: ``PolicyFileError`` when the file cannot be read or is invalid.
    public init(contentsOf url: URL) throws(PolicyFileError) {
        self.url = url
        self.state = Mutex(State(document: try PolicyDocument.load(contentsOf: url), generation: 1, lastError: nil))
    }

    /// The current snapshot. Read it once per request.
    public var current: PolicyDocument { state.withLock { $0.document } }

    /// Increments with every successful reload or replacement (starts at 1).
    public var generation: Int { state.withLock { $0.generation } }

    /// The error of the last reload, `nil` when it succeeded.
    public var lastReloadError: PolicyFileError? { state.withLock { $0.lastError } }

    /// Re-reads ``url`` and swaps in the new document atomically; on failure keeps the old one.
    /// - Returns: the new document.
    /// - Throws: ``PolicyFileError`` (also kept in ``lastReloadError``).
    @discardableResult
    public func reload() throws(PolicyFileError) -> PolicyDocument {
        guard let url else {
            let error = PolicyFileError(
                file: "<memory>", line: nil, column: nil, field: "", message: "this store was not loaded from a file")
            state.withLock { $0.lastError = error }
            throw error
        }
        let document: PolicyDocument
        do {
            document = try PolicyDocument.load(contentsOf: url)
        } catch {
            state.withLock { $0.lastError = error }
            throw error
        }
        replace(with: document)
        return document
    }

    /// Swaps in `document` atomically.
    public func replace(with document: PolicyDocument) {
        state.withLock {
            $0.document = document
            $0.generation += 1
            $0.lastError = nil
        }
    }
}
