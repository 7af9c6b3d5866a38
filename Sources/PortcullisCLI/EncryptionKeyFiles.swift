import Foundation
import Portcullis

/// Reads JWE keys and algorithm lists for `decrypt`, `encrypt` and `verify --decryption-keys`.
enum EncryptionKeyFiles {
    /// Loads the private decryption keys of a JWK Set file or URL. Signature keys, public keys and
    /// key types this library does not know are skipped silently; broken keys with a warning.
    /// - Throws: `ConfigurationError` when the file cannot be read, is not a JWK Set, or leaves no
    ///   usable decryption key.
    static func decryptionKeys(from location: String) async throws -> DecryptionKeySet {
        let bytes = try await RemoteDocument.load(location)
        let keys: DecryptionKeySet
        do {
            keys = try DecryptionKeySet(jwksJSON: bytes)
        } catch {
            throw ConfigurationError("\(location) is not a valid JWK Set: \(error.message)")
        }
        for skipped in keys.skipped where skipped.isWarning {
            Console.warn("warning: \(skipped)")
        }
        guard !keys.keys.isEmpty else {
            throw ConfigurationError("\(location) has no usable decryption key (a private key or secret without use \"sig\")")
        }
        return keys
    }

    /// Reads the one recipient key of a JWK or JWK Set file (with `kid`, the key of that id).
    static func recipientKey(inFile path: String, keyID: String?) throws -> (key: EncryptionKey, jwk: JWK) {
        let bytes = try RemoteDocument.readFile(path)
        do {
            let object = try JSONReader.parseObject(bytes)
            var candidates = object["keys"] != nil ? try JWKSet(json: object).keys : [try JWK(json: object)]
            candidates = candidates.filter { $0.use != "sig" && (keyID == nil || $0.keyID == keyID) }
            guard candidates.count == 1, let jwk = candidates.first else {
                throw ConfigurationError(
                    "\(path) holds \(candidates.count) usable encryption keys\(keyID.map { " with kid \"\($0)\"" } ?? ""); pass a file with one, or --kid")
            }
            return (try EncryptionKey(jwk: jwk), jwk)
        } catch let error as PortcullisError {
            throw ConfigurationError("\(path): \(error.code.rawValue): \(error.message)")
        }
    }

    /// Parses a comma-separated list of names with `lookup`; unknown names and `none` are usage
    /// errors. `nil` when the option was not given.
    static func names<T>(_ list: String?, option: String, known: [String], lookup: (String) -> T?) throws -> [T]? {
        guard let list else { return nil }
        var result: [T] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard name.lowercased() != "none", let value = lookup(name) else {
                throw ConfigurationError("\(option): unknown algorithm \"\(name)\" (known: \(known.joined(separator: ", ")))")
            }
            result.append(value)
        }
        guard !result.isEmpty else { throw ConfigurationError("\(option) names no algorithm") }
        return result
    }
}
