import ArgumentParser
import Foundation
import Portcullis

/// `--client-key`: a private key file for `private_key_jwt`.
enum ClientKeyFile {
    /// The assertion signer for the key in `path` (PEM, or a JWK as JSON): ES256/384/512 by
    /// curve, RS256 for RSA, EdDSA for Ed25519.
    static func assertionSigner(path: String, keyID: String?) throws -> ClientAssertionSigner {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 65_536 else {
            throw ValidationError("--client-key: cannot read \(path) (or larger than 64 KiB)")
        }
        let text = String(decoding: data, as: UTF8.self)
        do {
            let key: CryptoKey, jwk: JWK?
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
                let parsed = try JWK(parsing: text)
                (key, jwk) = (try CryptoKey(jwk: parsed), parsed)
            } else {
                key = try CryptoKey(pem: text)
                jwk = nil
            }
            guard key.isPrivate else { throw ValidationError("--client-key: \(path) holds a public key; private_key_jwt signs with the private key") }
            let algorithm: JWSAlgorithm = switch (key.keyType, key.curve) {
            case (.rsa, _): .rs256
            case (.ec, .p384?): .es384
            case (.ec, .p521?): .es512
            case (.ec, _): .es256
            case (.okp, _): .eddsa
            default: throw ValidationError("--client-key: \(path) is not an RSA, EC or Ed25519 private key")
            }
            let kid = try keyID ?? jwk?.keyID ?? Base64URL.encode(Digests.sha256(key.jwk(includingPrivate: false).thumbprintInput()))
            return try ClientAssertionSigner(signer: JWTSigner(key: key, algorithm: algorithm, keyID: kid))
        } catch let error as PortcullisError {
            throw ValidationError("--client-key: \(path): \(error.message)")
        }
    }
}
