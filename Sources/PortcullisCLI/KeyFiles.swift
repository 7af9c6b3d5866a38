import Foundation
import Portcullis
import PortcullisOIDC

/// One key read from a key file, with the metadata the file gave it.
struct LoadedKey {
    let key: CryptoKey
    let keyID: String?
    let algorithm: String?
}

/// Reads keys for the CLI: JWK Sets to verify with, and private keys (JWK, JWK Set or PEM) to
/// sign with or to publish.
enum KeyFiles {
    /// Loads the verification keys from a JWK Set file or URL. Keys this library does not
    /// understand are skipped silently (RFC 7517 §5); broken keys of a known type are skipped with
    /// a warning on standard error.
    /// - Throws: `ConfigurationError` when the location cannot be read, is not a JWK Set, or leaves
    ///   no usable key.
    static func keySet(from location: String) async throws -> KeySet {
        let bytes = try await RemoteDocument.load(location)
        return try keySet(parsing: bytes, source: location)
    }

    static func keySet(parsing bytes: [UInt8], source: String) throws -> KeySet {
        let keys: KeySet
        do {
            keys = try KeySet(jwksJSON: bytes)
        } catch {
            throw ConfigurationError("\(source) is not a valid JWK Set: \(error.message)")
        }
        return try checked(keys, source: source)
    }

    /// Warns about broken keys of a known type; refuses a set with no usable key.
    private static func checked(_ keys: KeySet, source: String) throws -> KeySet {
        for skipped in keys.skipped where skipped.isWarning {
            Console.warn("warning: \(skipped)")
        }
        guard !keys.keys.isEmpty else {
            throw ConfigurationError("\(source) has no usable signature verification key")
        }
        return keys
    }

    /// Finds the issuer's JWK Set through `PortcullisOIDC`: OpenID Connect Discovery 1.0 §4
    /// (falling back to RFC 8414 metadata), whose `issuer` must equal `issuer` exactly (§4.3), then
    /// one fetch of its `jwks_uri`. `https` only, plus `http` on loopback hosts for development;
    /// no redirects; 10 s and 1 MiB per document.
    static func keySet(discoveredFrom issuer: String) async throws -> KeySet {
        let limits = FetchLimits(timeout: .seconds(10), maximumBodySize: RemoteDocument.maximumSize, allowsLoopbackHTTP: true)
        let keys: KeySet
        let source: String
        do {
            let metadata = try await ProviderDiscovery(limits: limits).discover(issuer: issuer)
            guard let jwksURI = metadata.jwksURI else {
                throw ConfigurationError("the metadata of \(issuer) has no jwks_uri")
            }
            source = jwksURI
            let remote = try RemoteJWKSet(
                url: try RemoteURLRule.url(jwksURI, allowsLoopbackHTTP: true),
                configuration: RemoteJWKSetConfiguration(limits: limits))
            keys = try await remote.keySet()
        } catch let error as PortcullisError {
            throw ConfigurationError("discovery for \(issuer) failed: \(error.code.rawValue): \(error.message)")
        }
        return try checked(keys, source: source)
    }

    /// Reads every key in a file: a PEM document (private key, public key or certificate), a JWK,
    /// or a JWK Set.
    static func keys(inFile path: String) throws -> [LoadedKey] {
        let bytes = try RemoteDocument.readFile(path)
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            if text.contains("-----BEGIN") {
                return [LoadedKey(key: try CryptoKey(pem: text), keyID: nil, algorithm: nil)]
            }
            let object = try JSONReader.parseObject(bytes)
            if object["keys"] != nil {
                let set = try JWKSet(parsing: bytes)
                for skipped in set.skipped {
                    Console.warn("warning: \(path): key #\(skipped.index) skipped: \(skipped.error.message)")
                }
                return try set.keys.map { jwk throws(PortcullisError) in
                    LoadedKey(key: try CryptoKey(jwk: jwk), keyID: jwk.keyID, algorithm: jwk.algorithm)
                }
            }
            let jwk = try JWK(json: object)
            return [LoadedKey(key: try CryptoKey(jwk: jwk), keyID: jwk.keyID, algorithm: jwk.algorithm)]
        } catch {
            throw ConfigurationError("\(path): \(error.code.rawValue): \(error.message)")
        }
    }

    /// Reads exactly one private key from a file.
    static func privateKey(inFile path: String) throws -> LoadedKey {
        let keys = try keys(inFile: path).filter(\.key.isPrivate)
        guard keys.count == 1, let key = keys.first else {
            throw ConfigurationError(
                keys.isEmpty ? "\(path) holds no private key" : "\(path) holds \(keys.count) private keys; pass a file with one")
        }
        return key
    }
}

/// Writes to standard error and standard output.
enum Console {
    static func warn(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Runs a command body; configuration and library errors are printed as
    /// `portcullis <command>: <reason>` and end the process with exit status 2.
    static func reportingUsageErrors(command: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ConfigurationError {
            warn("portcullis \(command): \(error)")
            throw CLIExit.usage
        } catch let error as PortcullisError {
            warn("portcullis \(command): \(error.code.rawValue): \(error.message)")
            throw CLIExit.usage
        }
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
