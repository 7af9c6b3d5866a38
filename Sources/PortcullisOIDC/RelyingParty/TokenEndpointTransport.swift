public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import PortcullisJOSE

/// Sends the token request: one form POST (RFC 6749 §4.1.3). Tests substitute their own.
public protocol TokenEndpointTransport: Sendable {
    /// POSTs `body` (`application/x-www-form-urlencoded`) to `url` with `headers`.
    /// - Returns: The status and at most `maximumSize` bytes of body.
    /// - Throws: `fetch_failed` for transport failures, a timeout, or a body over `maximumSize`.
    func post(
        _ url: URL, body: String, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8])
}

/// The default ``TokenEndpointTransport``, on an ephemeral `URLSession` (no cache, no cookies)
/// that never follows a redirect: a token endpoint answers, it does not send the code elsewhere.
public struct URLSessionTokenTransport: TokenEndpointTransport {
    /// Creates a transport.
    public init() {}

    /// See ``TokenEndpointTransport/post(_:body:headers:timeout:maximumSize:)``.
    public func post(
        _ url: URL, body: String, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8]) {
        let configuration = URLSessionConfiguration.ephemeral
        // FoundationNetworking truncates intervals to whole seconds: round up.
        let seconds = max(1, timeout.rounded(.up))
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        let delegate = NoRedirects()
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: seconds)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw PortcullisError(.fetchFailed, "the token request to \(url.absoluteString) failed: \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw PortcullisError(.fetchFailed, "the token endpoint \(url.absoluteString) did not answer over HTTP")
        }
        guard data.count <= maximumSize else {
            throw PortcullisError(.fetchFailed, "the token response is larger than \(maximumSize) bytes")
        }
        return (http.statusCode, [UInt8](data))
    }
}

/// Refuses every redirect: the 3xx response itself is returned.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
