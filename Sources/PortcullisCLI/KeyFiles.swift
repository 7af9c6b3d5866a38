import Foundation
import Portcullis

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
        for skipped in keys.skipped where skipped.isWarning {
            Console.warn("warning: \(skipped)")
        }
        guard !keys.keys.isEmpty else {
            throw ConfigurationError("\(source) has no usable signature verification key")
        }
        return keys
    }

    /// Finds the issuer's JWK Set through OpenID Connect Discovery 1.0 §4
    /// (`<issuer>/.well-known/openid-configuration`, whose `issuer` must equal the issuer, §4.3).
    static func keySet(discoveredFrom issuer: String) async throws -> KeySet {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let location = base + "/.well-known/openid-configuration"
        let document: JSONObject
        do {
            document = try JSONReader.parseObject(try await RemoteDocument.fetch(location))
        } catch let error as PortcullisError {
            throw ConfigurationError("\(location) is not a valid discovery document: \(error.message)")
        }
        guard document["issuer"]?.stringValue == issuer else {
            throw ConfigurationError(
                "the discovery document's issuer \(document["issuer"]?.stringValue.map { "\"\($0)\"" } ?? "(missing)") does not equal \"\(issuer)\" (OpenID Connect Discovery §4.3)")
        }
        guard let jwksURI = document["jwks_uri"]?.stringValue else {
            throw ConfigurationError("\(location) has no jwks_uri")
        }
        return try keySet(parsing: try await RemoteDocument.fetch(jwksURI), source: jwksURI)
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
