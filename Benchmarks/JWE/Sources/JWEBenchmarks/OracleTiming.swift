import Foundation
import Portcullis

/// `--timing`: the mean time of a refused decryption for failures that a padding oracle would
/// tell apart (RFC 3218): an encrypted key that is not a valid RSA encryption at all, one that
/// decrypts to a key of the wrong length, and a valid key with a modified authentication tag.
/// Uniform errors are tested; this prints how close the timings are.
enum OracleTiming {
    static func run(seconds: Double) throws {
        let key = try EncryptionKey.generate(.rsa(bits: 2048))
        print("Refused-decryption timing, µs per call (mean over \(seconds) s each); all end in decryption_failed")
        print("| alg | random encrypted key | CEK of wrong length | modified tag | spread |")
        print("|---|---:|---:|---:|---:|")
        for algorithm in [JWEAlgorithm.rsa1_5, .rsaOAEP256] {
            let decrypter = JWEDecrypter(
                keys: DecryptionKeySet([DecryptionKey(key, keyID: "k")]),
                configuration: DecryptionConfiguration(algorithms: [algorithm]))
            let encrypter = try JWEEncrypter(key: key.publicKey, keyID: "k", algorithm: algorithm, encryption: .a128CBCHS256)
            let token = try encrypter.encrypt(Array("timing".utf8))
            var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            // (a) 256 random bytes as the encrypted key, below the modulus (a value at or above it is
            // refused by OpenSSL before any private-key operation, which tells nothing secret).
            var randomKey = parts
            randomKey[1] = Base64URL.encode([0x01] + (try SecureRandom.bytes(255)))
            // (b) a well-formed encryption of a 16-byte key (A128CBC-HS256 needs 32).
            let shortCEK = try JWEEncrypter(key: key.publicKey, keyID: "k", algorithm: algorithm, encryption: .a128GCM)
                .encrypt(Array("timing".utf8)).split(separator: ".")[1]
            var wrongLength = parts
            wrongLength[1] = String(shortCEK)
            // (c) a flipped tag.
            var tag = try Base64URL.decode(parts[4])
            tag[0] ^= 1
            parts[4] = Base64URL.encode(tag)
            let cases = [randomKey, wrongLength, parts].map { $0.joined(separator: ".") }
            var means: [Double] = []
            for candidate in cases {
                do {
                    _ = try decrypter.decrypt(candidate)
                    throw PortcullisError(.cryptoFailure, "a tampered token was accepted")
                } catch let error as PortcullisError where error.code == .decryptionFailed {
                    // the expected refusal
                }
                let rate = JWEBenchmarks.measure(seconds) { _ = try? decrypter.decrypt(candidate) }
                means.append(1e6 / rate)
            }
            let spread = ((means.max() ?? 0) - (means.min() ?? 0)) / (means.min() ?? 1) * 100
            print("| \(algorithm.name) | \(String(format: "%.1f", means[0])) | \(String(format: "%.1f", means[1])) | \(String(format: "%.1f", means[2])) | \(String(format: "%.1f", spread)) % |")
        }
    }
}
