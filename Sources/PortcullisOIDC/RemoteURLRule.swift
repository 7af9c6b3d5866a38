public import Foundation
public import PortcullisJOSE

/// The rule every remote document URL must pass: `https://`, or plain `http://` on a loopback host
/// when development mode allows it. OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 require
/// `https` for issuers and metadata; RFC 7517 §8 for JWK Sets fetched over the network.
public enum RemoteURLRule {
    /// Checks `url`.
    /// - Parameter allowsLoopbackHTTP: Accept `http://` for `localhost`, `127.0.0.0/8` and `::1`.
    /// - Throws: `fetch_failed` naming the problem.
    public static func check(_ url: URL, allowsLoopbackHTTP: Bool) throws(PortcullisError) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw PortcullisError(.fetchFailed, "\"\(url.absoluteString)\" is not an absolute http(s) URL")
        }
        switch scheme {
        case "https":
            return
        case "http" where isLoopback(host):
            guard allowsLoopbackHTTP else {
                throw PortcullisError(
                    .fetchFailed, "refusing plain http:// for \(url.absoluteString): https is required (enable loopback http only for development)")
            }
        case "http":
            throw PortcullisError(
                .fetchFailed, "refusing plain http:// for \(url.absoluteString): https is required (http is only for loopback hosts in development)")
        default:
            throw PortcullisError(.fetchFailed, "unsupported URL scheme \"\(scheme)\" in \(url.absoluteString); https is required")
        }
    }

    /// `localhost`, `127.0.0.0/8` and `::1` (with or without brackets).
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
    }

    /// Parses and checks a URL given as text.
    public static func url(_ text: String, allowsLoopbackHTTP: Bool) throws(PortcullisError) -> URL {
        guard let url = URL(string: text) else {
            throw PortcullisError(.fetchFailed, "\"\(text)\" is not a valid URL")
        }
        try check(url, allowsLoopbackHTTP: allowsLoopbackHTTP)
        return url
    }
}
