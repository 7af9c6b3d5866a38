#if AsyncHTTPClient
public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
public import PortcullisJOSE
public import PortcullisOIDC

/// An ``HTTPDocumentFetcher`` on AsyncHTTPClient, for services that already run SwiftNIO.
///
/// ```swift
/// let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
///                         configuration: AsyncHTTPClientDocumentFetcher.recommendedConfiguration)
/// let provider = try OIDCProvider(issuer: "https://login.example.com",
///                                 fetcher: AsyncHTTPClientDocumentFetcher(client: client))
/// // …
/// try await client.shutdown()
/// ```
///
/// It keeps the rules of ``HTTPDocumentFetcher``:
/// - **URL**: ``RemoteURLRule`` before any connection.
/// - **Redirects**: give it a client configured with `redirectConfiguration = .disallow` (as
///   ``recommendedConfiguration`` is); a `3xx` then comes back as a document with that status. If
///   the client follows redirects anyway, the response's history shows it and the fetch is refused
///   — but the other host has then already been contacted, so configure the client.
/// - **Timeout**: one deadline for the whole exchange, head and body (``FetchLimits/timeout``).
/// - **Size**: a `Content-Length` above the limit is refused when the head arrives; otherwise the
///   body is collected with `collect(upTo:)`, which stops reading as soon as it passes the limit.
public struct AsyncHTTPClientDocumentFetcher: HTTPDocumentFetcher {
    /// The client the requests go through; its owner shuts it down.
    public let client: HTTPClient

    /// A client configuration suited to fetching metadata and keys: no redirects, no decompression
    /// (a compressed body could expand past the size limit), a 5 s connect timeout.
    public static var recommendedConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(5), read: .seconds(5))
        return configuration
    }

    /// Creates a fetcher on `client` (see ``recommendedConfiguration``).
    public init(client: HTTPClient) {
        self.client = client
    }

    /// GETs `url`; see the type's documentation for how the limits are enforced.
    public func fetch(_ url: URL, limits: FetchLimits) async throws(PortcullisError) -> FetchedDocument {
        try RemoteURLRule.check(url, allowsLoopbackHTTP: limits.allowsLoopbackHTTP)
        let timeout = limits.timeout
        let result: Result<FetchedDocument, PortcullisError>
        do {
            result = try await withThrowingTaskGroup(of: Result<FetchedDocument, PortcullisError>?.self) { group in
                group.addTask { await self.exchange(url, limits: limits) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let outcome = first else {
                    return .failure(PortcullisError(
                        .fetchFailed, "\(url.absoluteString) did not answer within \(limits.timeoutSeconds) s"))
                }
                return outcome
            }
        } catch {
            result = .failure(PortcullisError(.fetchFailed, "the fetch of \(url.absoluteString) was cancelled"))
        }
        return try result.get()
    }

    private func exchange(_ url: URL, limits: FetchLimits) async -> Result<FetchedDocument, PortcullisError> {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json, application/jwk-set+json")
        do {
            let nanoseconds = Int64(min(limits.timeoutSeconds, 3_600) * 1e9)
            let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
            guard response.history.count <= 1 else {
                return .failure(PortcullisError(
                    .fetchFailed, "\(url.absoluteString) redirected and the HTTPClient followed; configure it with redirectConfiguration = .disallow"))
            }
            if let declared = response.headers.first(name: "Content-Length").flatMap({ Int($0) }), declared > limits.maximumBodySize {
                return .failure(PortcullisError(
                    .fetchFailed, "\(url.absoluteString) announces \(declared) bytes; the limit is \(limits.maximumBodySize)"))
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: limits.maximumBodySize)
            } catch is NIOTooManyBytesError {
                return .failure(PortcullisError(
                    .fetchFailed, "\(url.absoluteString) sent more than \(limits.maximumBodySize) bytes; the limit is \(limits.maximumBodySize)"))
            }
            return .success(FetchedDocument(
                url: url, status: Int(response.status.code), body: Array(buffer: body),
                cacheControl: response.headers.first(name: "Cache-Control"),
                age: response.headers.first(name: "Age").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil },
                contentType: response.headers.first(name: "Content-Type")))
        } catch {
            return .failure(PortcullisError(.fetchFailed, "could not fetch \(url.absoluteString): \(error)"))
        }
    }
}
#endif
