public import Foundation
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

/// The default ``TokenEndpointTransport``, on the same bounded `URLSession` exchange as
/// ``URLSessionDocumentFetcher``: an ephemeral session (no cache, no cookies), an independent
/// deadline, the body counted as it streams in (cancelled past `maximumSize`), and **no redirect
/// followed** — a token endpoint answers, it does not send the code elsewhere.
public struct URLSessionTokenTransport: TokenEndpointTransport {
    /// Creates a transport.
    public init() {}

    /// See ``TokenEndpointTransport/post(_:body:headers:timeout:maximumSize:)``. The URL's scheme
    /// is the caller's concern (``RelyingParty`` applies ``RemoteURLRule``).
    public func post(
        _ url: URL, body: String, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8]) {
        guard !Task.isCancelled else { throw PortcullisError(.fetchFailed, "the token request was cancelled") }
        let limits = FetchLimits(
            timeout: .milliseconds(Int64(max(0.001, timeout) * 1_000)), maximumBodySize: maximumSize, allowsLoopbackHTTP: true)
        let answer = try await URLSessionExchange(url: url, limits: limits, form: (Data(body.utf8), headers)).run()
        return (answer.status, answer.body)
    }
}
