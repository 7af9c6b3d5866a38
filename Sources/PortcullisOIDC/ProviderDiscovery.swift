public import Foundation
public import PortcullisJOSE

/// Which well-known metadata document to read.
public enum MetadataDocument: Sendable, Hashable {
    /// OpenID Connect Discovery 1.0 §4: `<issuer>/.well-known/openid-configuration`.
    case openIDConnect
    /// RFC 8414 §3: `/.well-known/oauth-authorization-server` inserted between the host and the
    /// issuer's path.
    case authorizationServer

    /// The well-known suffix (RFC 8615).
    public var wellKnownSuffix: String {
        switch self {
        case .openIDConnect: "openid-configuration"
        case .authorizationServer: "oauth-authorization-server"
        }
    }
}

/// Reads an issuer's metadata: OpenID Connect Discovery 1.0 and RFC 8414.
///
/// Rules:
/// - The configured issuer must be an `https` URL without query or fragment (Discovery §3,
///   RFC 8414 §2); plain `http` on loopback only with ``FetchLimits/allowsLoopbackHTTP``.
/// - The document's `issuer` must **equal** the configured issuer, character for character
///   (Discovery §4.3, RFC 8414 §3.3): a provider cannot vouch for another issuer.
/// - `jwks_uri` is required for OpenID Connect (Discovery §3) and must pass ``RemoteURLRule``.
/// - The document is read with the strict, bounded ``JSONReader``; fetches follow no redirects and
///   are bounded in time and size (``FetchLimits``).
public struct ProviderDiscovery: Sendable {
    /// How documents are fetched.
    public let fetcher: any HTTPDocumentFetcher
    /// Bounds on each fetch, and whether loopback `http` is allowed.
    public let limits: FetchLimits

    /// Creates a discovery client.
    public init(fetcher: any HTTPDocumentFetcher = URLSessionDocumentFetcher(), limits: FetchLimits = FetchLimits()) {
        self.fetcher = fetcher
        self.limits = limits
    }

    /// Fetches and checks the metadata of `issuer`, trying `documents` in order: a document that
    /// answers with an HTTP status other than `200` falls through to the next one (Discovery first,
    /// then RFC 8414, by default). Network failures and invalid documents do not fall through.
    /// - Throws: `invalid_issuer` for an unacceptable configured issuer or a document naming
    ///   another issuer; `fetch_failed` for transport failures, HTTP errors or a non-https
    ///   `jwks_uri`; `malformed` for a document that is not valid metadata.
    public func discover(
        issuer: String, documents: [MetadataDocument] = [.openIDConnect, .authorizationServer]
    ) async throws(PortcullisError) -> ProviderMetadata {
        var lastError = PortcullisError(.fetchFailed, "no metadata document to read for \(issuer)")
        for (position, document) in documents.enumerated() {
            let url = try Self.metadataURL(issuer: issuer, document: document, allowsLoopbackHTTP: limits.allowsLoopbackHTTP)
            let fetched = try await fetcher.fetch(url, limits: limits)
            guard fetched.status == 200 else {
                do throws(PortcullisError) { try fetched.requireOK() } catch { lastError = error }
                if position < documents.count - 1 { continue }
                throw lastError
            }
            return try check(fetched.body, from: url, issuer: issuer, document: document)
        }
        throw lastError
    }

    /// Checks a fetched metadata document against the configured issuer.
    public func check(
        _ body: [UInt8], from url: URL, issuer: String, document: MetadataDocument
    ) throws(PortcullisError) -> ProviderMetadata {
        let metadata: ProviderMetadata
        do {
            metadata = try ProviderMetadata(parsing: body)
        } catch {
            throw PortcullisError(.malformed, "\(url.absoluteString) is not a valid metadata document: \(error.message)")
        }
        guard metadata.issuer == issuer else {
            let rule = document == .openIDConnect ? "OpenID Connect Discovery 1.0 §4.3" : "RFC 8414 §3.3"
            throw PortcullisError(
                .invalidIssuer,
                "the metadata at \(url.absoluteString) names issuer \"\(metadata.issuer)\", not the configured \"\(issuer)\"; they must be identical (\(rule))",
                claim: "issuer", expected: issuer, actual: metadata.issuer)
        }
        if let jwksURI = metadata.jwksURI {
            _ = try RemoteURLRule.url(jwksURI, allowsLoopbackHTTP: limits.allowsLoopbackHTTP)
        } else if document == .openIDConnect {
            throw PortcullisError(
                .malformed, "\(url.absoluteString) has no \"jwks_uri\" (required by OpenID Connect Discovery 1.0 §3)",
                claim: "jwks_uri")
        }
        return metadata
    }

    /// The URL of `issuer`'s metadata document.
    /// - OpenID Connect (Discovery §4.1): a terminating `/` of the issuer is removed, then
    ///   `/.well-known/openid-configuration` is appended.
    /// - RFC 8414 §3.1: a terminating `/` is removed, and `/.well-known/oauth-authorization-server`
    ///   is inserted between the host and the path: `https://example.com/issuer1` →
    ///   `https://example.com/.well-known/oauth-authorization-server/issuer1`.
    /// - Throws: `invalid_issuer` when the issuer is not an acceptable issuer identifier.
    public static func metadataURL(
        issuer: String, document: MetadataDocument, allowsLoopbackHTTP: Bool
    ) throws(PortcullisError) -> URL {
        try checkIssuer(issuer, allowsLoopbackHTTP: allowsLoopbackHTTP)
        guard let separator = issuer.range(of: "://") else {
            throw PortcullisError(.invalidIssuer, "issuer \"\(issuer)\" is not a URL", claim: "iss")
        }
        let rest = issuer[separator.upperBound...]
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        let origin = issuer[..<pathStart]
        var path = issuer[pathStart...]
        if path.hasSuffix("/") { path = path.dropLast() }
        let text = switch document {
        case .openIDConnect: origin + path + "/.well-known/openid-configuration"
        case .authorizationServer: origin + "/.well-known/oauth-authorization-server" + path
        }
        guard let url = URL(string: String(text)) else {
            throw PortcullisError(.invalidIssuer, "issuer \"\(issuer)\" does not give a valid metadata URL", claim: "iss")
        }
        return url
    }

    /// An issuer identifier is an `https` URL with no query or fragment (Discovery §3, RFC 8414 §2).
    public static func checkIssuer(_ issuer: String, allowsLoopbackHTTP: Bool) throws(PortcullisError) {
        guard let url = URL(string: issuer), url.scheme != nil, url.host != nil else {
            throw PortcullisError(.invalidIssuer, "issuer \"\(issuer)\" is not an absolute URL", claim: "iss")
        }
        guard url.query == nil, url.fragment == nil, !issuer.contains("?"), !issuer.contains("#") else {
            throw PortcullisError(
                .invalidIssuer, "issuer \"\(issuer)\" must not have a query or fragment (RFC 8414 §2)", claim: "iss")
        }
        do {
            try RemoteURLRule.check(url, allowsLoopbackHTTP: allowsLoopbackHTTP)
        } catch {
            throw PortcullisError(.invalidIssuer, "issuer \"\(issuer)\": \(error.message)", claim: "iss")
        }
    }
}
