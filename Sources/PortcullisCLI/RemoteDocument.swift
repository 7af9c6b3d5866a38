import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PortcullisOIDC

/// Fetches small JSON documents (JWK Sets, discovery documents) for the CLI.
///
/// Only `https://` URLs are fetched, plus plain `http://` to loopback addresses for local
/// development. Redirects are not followed, responses are capped in size, and a request times out.
enum RemoteDocument {
    /// The largest document accepted, in bytes.
    static let maximumSize = 1 << 20

    /// Whether `location` looks like a URL rather than a file path.
    static func isURL(_ location: String) -> Bool {
        location.hasPrefix("https://") || location.hasPrefix("http://")
    }

    /// Checks the URL rules above.
    static func validatedURL(_ location: String) throws -> URL {
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw ConfigurationError("not a valid URL: \(location)")
        }
        switch scheme {
        case "https":
            return url
        case "http" where isLoopback(host):
            return url
        case "http":
            throw ConfigurationError("refusing plain http:// for \(host): use https:// (http is only allowed for loopback addresses)")
        default:
            throw ConfigurationError("unsupported URL scheme \(scheme)")
        }
    }

    /// `localhost`, `127.0.0.0/8` and `::1`: the rule of `PortcullisOIDC`.
    static func isLoopback(_ host: String) -> Bool {
        RemoteURLRule.isLoopback(host)
    }

    /// GETs a document.
    static func fetch(_ location: String) async throws -> [UInt8] {
        let url = try validatedURL(location)
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 10)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let delegate = NoRedirects()
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw ConfigurationError("could not fetch \(location): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw ConfigurationError("could not fetch \(location): not an HTTP response")
        }
        guard http.statusCode == 200 else {
            throw ConfigurationError("could not fetch \(location): HTTP status \(http.statusCode)")
        }
        guard data.count <= maximumSize else {
            throw ConfigurationError("\(location) is larger than \(maximumSize) bytes")
        }
        return [UInt8](data)
    }

    /// Reads a file or fetches a URL.
    static func load(_ location: String) async throws -> [UInt8] {
        if isURL(location) { return try await fetch(location) }
        return try readFile(location)
    }

    /// Reads a local file, capped in size.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigurationError("cannot read \(path)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumSize + 1)) ?? Data()
        guard data.count <= maximumSize else {
            throw ConfigurationError("\(path) is larger than \(maximumSize) bytes")
        }
        return [UInt8](data)
    }
}

/// Refuses every redirect, so a trusted URL cannot send the CLI elsewhere.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
