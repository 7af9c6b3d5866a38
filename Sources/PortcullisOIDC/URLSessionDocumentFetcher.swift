public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PortcullisJOSE

/// The default ``HTTPDocumentFetcher``, on Foundation's `URLSession` (FoundationNetworking on
/// Linux), so the core needs no SwiftNIO.
///
/// How each rule of ``HTTPDocumentFetcher`` is kept:
/// - **URL**: ``RemoteURLRule`` before any connection.
/// - **Redirects**: the session delegate refuses every redirect, and a `3xx` answer comes back as
///   a ``FetchedDocument`` with that status (which ``FetchedDocument/requireOK()`` refuses).
///   Refusing all redirects, not only cross-host ones, keeps the rule simple: discovery documents
///   and JWK Sets are fetched from the exact URL the provider published.
/// - **Timeout**: an independent deadline cancels the task when ``FetchLimits/timeout`` passes.
///   `URLSession`'s own request and resource timeouts are set one second longer as a backstop
///   (FoundationNetworking truncates them to whole seconds, so they cannot carry the bound).
/// - **Size**: a `Content-Length` above the limit cancels the task when the headers arrive;
///   otherwise the body is counted as it streams in through the data delegate and the task is
///   cancelled as soon as it passes the limit. At most one network read beyond the limit is
///   buffered (URLSession delivers data in chunks, typically ≤ 64 KiB).
/// - **Caching and cookies**: an ephemeral session with no URL cache and no cookie storage; the
///   caller caches (see ``RemoteJWKSet``).
/// - **Cancellation**: cancelling the calling task cancels the request.
///
/// Each fetch uses its own short-lived session; fetches are rare (minutes apart), so there is
/// nothing to gain from connection reuse and nothing shared to go stale.
public struct URLSessionDocumentFetcher: HTTPDocumentFetcher {
    /// Creates a fetcher.
    public init() {}

    /// GETs `url`; see the type's documentation for how the limits are enforced.
    public func fetch(_ url: URL, limits: FetchLimits) async throws(PortcullisError) -> FetchedDocument {
        try RemoteURLRule.check(url, allowsLoopbackHTTP: limits.allowsLoopbackHTTP)
        guard !Task.isCancelled else { throw PortcullisError(.fetchFailed, "the fetch of \(url.absoluteString) was cancelled") }
        return try await URLSessionExchange(url: url, limits: limits).run()
    }
}

/// One request: the session delegate that enforces the limits and resumes the caller once. A GET
/// of a document, or the form POST of ``URLSessionTokenTransport``.
final class URLSessionExchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    private let url: URL
    private let limits: FetchLimits
    private let form: (body: Data, headers: [(String, String)])?
    private let headers: [(String, String)]
    private let lock = NSLock()
    private var body: [UInt8] = []
    private var response: HTTPURLResponse?
    private var failure: PortcullisError?
    private var continuation: CheckedContinuation<Result<FetchedDocument, PortcullisError>, Never>?
    private var finished = false
    private var challenged = false

    /// - Parameters:
    ///   - form: A form body and extra header fields to POST instead of a GET.
    ///   - headers: Extra header fields of a GET (the userinfo request's `Authorization`).
    init(url: URL, limits: FetchLimits, form: (body: Data, headers: [(String, String)])? = nil, headers: [(String, String)] = []) {
        self.url = url
        self.limits = limits
        self.form = form
        self.headers = headers
    }

    func run() async throws(PortcullisError) -> FetchedDocument {
        let seconds = max(0.001, limits.timeoutSeconds)
        // FoundationNetworking truncates these intervals to whole seconds (0.5 s would time out at
        // once), so they are rounded up as a backstop and the deadline below is the real bound.
        let backstop = seconds.rounded(.up) + 1
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = backstop
        configuration.timeoutIntervalForResource = backstop
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: backstop)
        if let form {
            request.httpMethod = "POST"
            request.httpBody = form.body
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            for (name, value) in form.headers { request.setValue(value, forHTTPHeaderField: name) }
        } else {
            request.httpMethod = "GET"
            request.setValue("application/json, application/jwk-set+json", forHTTPHeaderField: "Accept")
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        }
        let task = session.dataTask(with: request)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<FetchedDocument, PortcullisError>, Never>) in
                lock.withLock { self.continuation = continuation }
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                    record(PortcullisError(.fetchFailed, "\(url.absoluteString) did not answer within \(Self.format(seconds)) s"))
                    task.cancel()
                }
            }
        } onCancel: {
            record(PortcullisError(.fetchFailed, "the fetch of \(url.absoluteString) was cancelled"))
            task.cancel()
        }
        return try result.get()
    }

    /// Keeps the first failure; later events (the cancellation it causes) do not overwrite it.
    private func record(_ error: PortcullisError) {
        lock.withLock { if failure == nil, !finished { failure = error } }
    }

    private func finish(transportError: (any Error)?) {
        let (continuation, result): (CheckedContinuation<Result<FetchedDocument, PortcullisError>, Never>?, Result<FetchedDocument, PortcullisError>) = lock.withLock {
            let result: Result<FetchedDocument, PortcullisError>
            if let failure {
                result = .failure(failure)
            } else if challenged, let response {
                result = .success(FetchedDocument(
                    url: url, status: response.statusCode, body: body, contentType: response.value(forHTTPHeaderField: "Content-Type")))
            } else if let transportError {
                result = .failure(PortcullisError(
                    .fetchFailed, "could not fetch \(url.absoluteString): \(transportError.localizedDescription)"))
            } else if let response {
                result = .success(FetchedDocument(
                    url: url, status: response.statusCode, body: body,
                    cacheControl: response.value(forHTTPHeaderField: "Cache-Control"),
                    age: response.value(forHTTPHeaderField: "Age").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                        .flatMap { $0 >= 0 ? $0 : nil },
                    contentType: response.value(forHTTPHeaderField: "Content-Type")))
            } else {
                result = .failure(PortcullisError(.fetchFailed, "could not fetch \(url.absoluteString): no HTTP response"))
            }
            finished = true
            defer { self.continuation = nil }
            return (self.continuation, result)
        }
        continuation?.resume(returning: result)
    }

    // MARK: URLSessionDataDelegate

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            record(PortcullisError(.fetchFailed, "\(url.absoluteString) did not answer with HTTP"))
            completionHandler(.cancel)
            return
        }
        let declared = http.expectedContentLength
        if declared > Int64(limits.maximumBodySize) {
            record(PortcullisError(
                .fetchFailed, "\(url.absoluteString) announces \(declared) bytes; the limit is \(limits.maximumBodySize)"))
            completionHandler(.cancel)
            return
        }
        lock.withLock { self.response = http }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overflow: Bool = lock.withLock {
            guard failure == nil else { return true }
            guard body.count + data.count <= limits.maximumBodySize else {
                failure = PortcullisError(
                    .fetchFailed, "\(url.absoluteString) sent more than \(limits.maximumBodySize) bytes; the limit is \(limits.maximumBodySize)")
                return true
            }
            body.append(contentsOf: data)
            return false
        }
        if overflow { dataTask.cancel() }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        // Never follow: the 3xx response itself becomes the result.
        completionHandler(nil)
    }

    /// A `401` with `WWW-Authenticate` (a token endpoint refusing `client_secret_basic`, RFC 6749
    /// §5.2; a userinfo endpoint refusing the access token, RFC 6750 §3) is an answer, not a
    /// request for credentials. FoundationNetworking holds such a response back (and without a
    /// delegate waits for credentials forever); no credential is offered, and the challenged
    /// response becomes the result — its status, without a body, which Foundation does not deliver.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        if let http = challenge.failureResponse as? HTTPURLResponse {
            lock.withLock {
                if response == nil { response = http }
                challenged = true
            }
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        finish(transportError: error)
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
