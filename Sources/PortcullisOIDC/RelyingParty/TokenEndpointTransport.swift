public import Foundation
public import PortcullisJOSE

/// Sends the relying party's back-channel requests: the token request (one form POST, RFC 6749
/// §4.1.3, §6) and the userinfo request (one GET with the access token, OpenID Connect Core 1.0
/// §5.3.1). Tests substitute their own.
public protocol TokenEndpointTransport: Sendable {
    /// POSTs `body` (`application/x-www-form-urlencoded`) to `url` with `headers`.
    /// - Returns: The status and at most `maximumSize` bytes of body.
    /// - Throws: `fetch_failed` for transport failures, a timeout, or a body over `maximumSize`.
    func post(
        _ url: URL, body: String, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8])

    /// GETs `url` with `headers`, following no redirect.
    /// - Returns: The status, at most `maximumSize` bytes of body, and the `Content-Type`.
    /// - Throws: `fetch_failed` for transport failures, a timeout, or a body over `maximumSize`.
    func get(
        _ url: URL, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8], contentType: String?)
}

extension TokenEndpointTransport {
    /// A transport written before the userinfo request existed cannot send it: `fetch_failed`
    /// (never a silent success).
    public func get(
        _ url: URL, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8], contentType: String?) {
        throw PortcullisError(.fetchFailed, "this transport (\(type(of: self))) cannot send GET requests such as the userinfo request")
    }
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
        let answer = try await exchange(url, timeout: timeout, maximumSize: maximumSize, form: (Data(body.utf8), headers))
        return (answer.status, answer.body)
    }

    /// See ``TokenEndpointTransport/get(_:headers:timeout:maximumSize:)``.
    public func get(
        _ url: URL, headers: [(String, String)], timeout: Double, maximumSize: Int
    ) async throws(PortcullisError) -> (status: Int, body: [UInt8], contentType: String?) {
        let answer = try await exchange(url, timeout: timeout, maximumSize: maximumSize, headers: headers)
        return (answer.status, answer.body, answer.contentType)
    }

    private func exchange(
        _ url: URL, timeout: Double, maximumSize: Int, form: (body: Data, headers: [(String, String)])? = nil,
        headers: [(String, String)] = []
    ) async throws(PortcullisError) -> FetchedDocument {
        guard !Task.isCancelled else { throw PortcullisError(.fetchFailed, "the request to \(url.absoluteString) was cancelled") }
        let limits = FetchLimits(
            timeout: .milliseconds(Int64(max(0.001, timeout) * 1_000)), maximumBodySize: maximumSize, allowsLoopbackHTTP: true)
        return try await URLSessionExchange(url: url, limits: limits, form: form, headers: headers).run()
    }
}
