public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PortcullisJOSE
import Synchronization

/// Asks Open Policy Agent through its REST Data API: `POST /v1/data/<path>` with
/// `{"input": …}`. The document at `path` may be a boolean (`true` allows) or an object with a
/// boolean `allow` and an optional string `reason`.
///
/// Fails closed, always: an unreachable server, a timeout, a non-200 status, a redirect, an
/// undefined document (no `result`), a body that is not JSON or too large, or a result of any other
/// shape is `access_denied` with a message saying the decision point failed. There is no fail-open
/// option.
///
/// ```swift
/// let opa = OPAClient(baseURL: URL(string: "http://127.0.0.1:8181")!, path: "portcullis/authz/decision")
/// let decision = await opa.decide(context)
/// ```
public final class OPAClient: ExternalDecisionPoint {
    /// The server, such as `http://127.0.0.1:8181`.
    public let baseURL: URL
    /// The document path, slash-separated (`portcullis/authz/allow`).
    public let path: String
    /// The time allowed for the whole exchange, in seconds.
    public let timeout: Double
    /// The largest response body read, in bytes.
    public let maximumResponseSize: Int
    private let session: URLSession
    private let endpoint: URL

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: OPA's address.
    ///   - path: the document to evaluate, slash-separated, without `/v1/data/`.
    ///   - timeout: seconds for the whole exchange (default 2).
    ///   - maximumResponseSize: bytes (default 1 MiB).
    public init(baseURL: URL, path: String, timeout: Double = 2, maximumResponseSize: Int = 1 << 20) {
        self.baseURL = baseURL
        self.path = path
        self.timeout = timeout > 0 && timeout.isFinite ? timeout : 2
        self.maximumResponseSize = maximumResponseSize
        let trimmed = path.split(separator: "/").joined(separator: "/")
        self.endpoint = baseURL.appendingPathComponent("v1/data").appendingPathComponent(trimmed)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = self.timeout
        configuration.timeoutIntervalForResource = self.timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    /// Posts `{"input": input}` and reads the decision; every failure is a denial.
    public func decide(_ input: JSONObject) async throws(PortcullisError) -> PolicyDecision {
        var request = URLRequest(url: endpoint, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(JSONValue.object(JSONObject(uniqueMembers: [.init(name: "input", value: .object(input))])).serializedBytes())
        let prepared = request
        switch await Self.withDeadline(timeout + 0.5, { [session] in try await session.data(for: prepared) }) {
        case .failure(let reason):
            return deny(reason.description)
        case .success(let (data, response)):
            guard let http = response as? HTTPURLResponse else { return deny("the response is not HTTP") }
            guard http.statusCode == 200 else { return deny("it answered HTTP \(http.statusCode)") }
            guard data.count <= maximumResponseSize else { return deny("the response is larger than \(maximumResponseSize) bytes") }
            return interpret(data)
        }
    }

    private func interpret(_ data: Data) -> PolicyDecision {
        guard let body = try? JSONReader.parseObject(Array(data)) else { return deny("the response is not a JSON object") }
        switch body["result"] {
        case nil: return deny("the document \(path) is undefined")
        case .bool(true)?: return .allow
        case .bool(false)?: return .deny(Denial(.accessDenied, policy: name, message: "the decision point denied the request"))
        case .object(let result)?:
            let reason = result["reason"]?.stringValue
            switch result["allow"] {
            case .bool(true)?: return .allow
            case .bool(false)?:
                return .deny(Denial(.accessDenied, policy: name, message: reason.map { "the decision point denied the request: \($0)" } ?? "the decision point denied the request"))
            default: return deny("the result has no boolean allow")
            }
        default: return deny("the result is neither a boolean nor an object")
        }
    }

    /// `opa(<path>)`.
    public var name: String { "opa(\(path))" }

    private func deny(_ reason: String) -> PolicyDecision {
        .deny(Denial(.accessDenied, policy: name, message: "the decision point failed: \(reason)"))
    }

    /// Runs `operation`, giving up after `seconds` even if it never returns (fail closed).
    private static func withDeadline<T: Sendable>(
        _ seconds: Double, _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, DeadlineFailure> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, DeadlineFailure>, Never>) in
            let race = DeadlineRace(continuation)
            let work = Task {
                do { race.finish(.success(try await operation())) }
                catch { race.finish(.failure(DeadlineFailure(description: Self.describe(error)))) }
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                race.finish(.failure(DeadlineFailure(description: "no answer within \(seconds) s")))
                work.cancel()
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return "it timed out"
            case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet: return "it is unreachable"
            default: return "the request failed (\(urlError.code.rawValue))"
            }
        }
        return "the request failed"
    }
}

/// A failure reason (a `String` wrapper so it can be a `Result` failure).
struct DeadlineFailure: Error, CustomStringConvertible {
    let description: String
}

/// Resumes a continuation once: with the operation's result or with the deadline, whichever comes first.
private final class DeadlineRace<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<T, DeadlineFailure>, Never>?>

    init(_ continuation: CheckedContinuation<Result<T, DeadlineFailure>, Never>) {
        self.continuation = Mutex(continuation)
    }

    func finish(_ result: Result<T, DeadlineFailure>) {
        let pending = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        pending?.resume(returning: result)
    }
}

/// Leaves redirects unfollowed: a 3xx reaches ``OPAClient`` as a non-200 status, which denies.
private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
