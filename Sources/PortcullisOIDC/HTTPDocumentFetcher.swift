public import Foundation
public import PortcullisJOSE

/// Fetches small documents (discovery metadata, JWK Sets) over HTTP: the seam that keeps the core
/// free of SwiftNIO.
///
/// ``URLSessionDocumentFetcher`` is the default, on Foundation's `URLSession`; the
/// `PortcullisOIDCAsyncHTTPClient` product adds one on AsyncHTTPClient. A conformer must:
/// - issue one `GET` and follow **no** redirect (a `3xx` answer is returned as is, or refused with
///   `fetch_failed`), so a trusted URL can never send the client to another host;
/// - give up after ``FetchLimits/timeout`` for the whole exchange;
/// - stop reading, and throw `fetch_failed`, as soon as the body exceeds
///   ``FetchLimits/maximumBodySize`` (a `Content-Length` above it is refused before reading);
/// - refuse any URL that ``RemoteURLRule/check(_:allowsLoopbackHTTP:)`` refuses;
/// - throw only ``PortcullisError`` with code `fetch_failed` for transport failures.
///
/// Any HTTP status is returned as a ``FetchedDocument``; callers decide what a status means.
public protocol HTTPDocumentFetcher: Sendable {
    /// GETs `url` within `limits`.
    /// - Throws: `fetch_failed` for a refused URL, a network error, a timeout, a redirect or an
    ///   oversized body.
    func fetch(_ url: URL, limits: FetchLimits) async throws(PortcullisError) -> FetchedDocument
}

/// Bounds on one fetch.
public struct FetchLimits: Sendable, Hashable {
    /// The longest the whole exchange (connect, request, every byte of the response) may take.
    /// Default 5 s: a key fetch happens on the request path, and a provider that cannot answer in
    /// 5 s is treated as down (stale keys are served meanwhile, see ``RemoteJWKSet``).
    public var timeout: Duration
    /// The largest accepted body, in bytes. Default 1 MiB: real JWK Sets and discovery documents
    /// are a few kilobytes.
    public var maximumBodySize: Int
    /// Whether plain `http://` is accepted for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`),
    /// for development and tests. Default `false`: only `https://`.
    public var allowsLoopbackHTTP: Bool

    /// Creates limits.
    public init(timeout: Duration = .seconds(5), maximumBodySize: Int = 1 << 20, allowsLoopbackHTTP: Bool = false) {
        self.timeout = timeout
        self.maximumBodySize = maximumBodySize
        self.allowsLoopbackHTTP = allowsLoopbackHTTP
    }

    /// The timeout in seconds, for APIs that take a `TimeInterval`.
    public var timeoutSeconds: Double {
        let parts = timeout.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// The answer to one fetch.
public struct FetchedDocument: Sendable {
    /// The URL that was fetched (never a redirect target).
    public let url: URL
    /// The HTTP status code.
    public let status: Int
    /// The body bytes (at most ``FetchLimits/maximumBodySize``).
    public let body: [UInt8]
    /// The `Cache-Control` header, when present.
    public let cacheControl: String?
    /// The `Age` header in seconds (RFC 9111 §5.1), when present and valid.
    public let age: Int?
    /// The `Content-Type` header, when present.
    public let contentType: String?

    /// Creates a document.
    public init(url: URL, status: Int, body: [UInt8], cacheControl: String? = nil, age: Int? = nil, contentType: String? = nil) {
        self.url = url
        self.status = status
        self.body = body
        self.cacheControl = cacheControl
        self.age = age
        self.contentType = contentType
    }

    /// How long the response may be reused, from `Cache-Control` (RFC 9111 §5.2.2): `max-age`
    /// minus `Age`; `0` for `no-store` or `no-cache`; `nil` when the header gives no lifetime.
    public var freshnessLifetime: Int? {
        guard let cacheControl else { return nil }
        var maxAge: Int?
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if name == "no-store" || name == "no-cache" { return 0 }
            if name == "max-age", parts.count == 2 {
                let value = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                // RFC 9111 §1.2.2: delta-seconds; a value too large for Int means "very long".
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                maxAge = Int(value) ?? Int.max
            }
        }
        guard let maxAge else { return nil }
        return max(0, maxAge - (age ?? 0))
    }

    /// Throws `fetch_failed` unless the status is `200`.
    public func requireOK() throws(PortcullisError) {
        guard status == 200 else {
            let what = (300..<400).contains(status) ? " (redirects are not followed)" : ""
            throw PortcullisError(.fetchFailed, "\(url.absoluteString) answered HTTP \(status)\(what)")
        }
    }
}
