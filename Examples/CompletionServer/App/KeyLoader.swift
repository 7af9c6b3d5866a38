import Foundation
import Portcullis

/// Builds the verifier for an external issuer from where its keys come from.
enum KeyLoader {
    static let maximumSize = 1 << 20

    static func verifier(
        for source: CompletionServerConfiguration.KeySource, issuer: String, audience: String
    ) async throws -> any TokenVerifying {
        var providerConfiguration = OIDCProviderConfiguration()
        // Plain http is allowed for loopback addresses only (development); https everywhere else.
        providerConfiguration.allowsLoopbackHTTP = true
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PortcullisError(.malformed, "cannot read the JWK Set file \(path)")
            }
            guard data.count <= maximumSize else { throw PortcullisError(.malformed, "the JWK Set is larger than 1 MiB") }
            let keys = try KeySet(jwksJSON: Array(data))
            guard !keys.keys.isEmpty else { throw PortcullisError(.keyNotFound, "the JWK Set has no usable signing key") }
            return JWTVerifier(keys: keys, configuration: CompletionServer.verifierConfiguration(issuer: issuer, audience: audience, keys: keys))
        case .url(let url):
            let metadata = try ProviderMetadata(json: ["issuer": .string(issuer), "jwks_uri": .string(url)])
            let provider = try OIDCProvider(metadata: metadata, configuration: providerConfiguration)
            // Fetch once now, so that a wrong URL stops the server at start rather than failing requests.
            let keys = try await provider.keys().keySet()
            return OIDCVerifier(
                provider: provider,
                configuration: CompletionServer.verifierConfiguration(issuer: issuer, audience: audience, keys: keys))
        case .discovery:
            let provider = try OIDCProvider(issuer: issuer, configuration: providerConfiguration)
            _ = try await provider.resolve()
            var configuration = CompletionServer.verifierConfiguration(issuer: issuer, audience: audience, keys: nil)
            configuration.algorithms = []   // the provider's advertised algorithms ∩ the safe defaults
            return OIDCVerifier(provider: provider, configuration: configuration)
        }
    }
}
