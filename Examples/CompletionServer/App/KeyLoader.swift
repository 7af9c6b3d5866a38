import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Portcullis

/// Loads an external issuer's JWK Set from a file or a URL at start.
enum KeyLoader {
    static let maximumSize = 1 << 20

    static func load(_ source: CompletionServerConfiguration.KeySource) async throws -> KeySet {
        let bytes: [UInt8]
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PortcullisError(.malformed, "cannot read the JWK Set file \(path)")
            }
            bytes = Array(data)
        case .url(let text):
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(url.host ?? ""))
            else {
                throw PortcullisError(.malformed, "the JWK Set URL must be https (or http on loopback): \(text)")
            }
            var request = URLRequest(url: url, timeoutInterval: 10)
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
                throw PortcullisError(.malformed, "the JWK Set URL \(text) did not answer 200")
            }
            bytes = Array(data)
        }
        guard bytes.count <= maximumSize else { throw PortcullisError(.malformed, "the JWK Set is larger than 1 MiB") }
        let keys = try KeySet(jwksJSON: bytes)
        guard !keys.keys.isEmpty else { throw PortcullisError(.keyNotFound, "the JWK Set has no usable signing key") }
        return keys
    }
}
