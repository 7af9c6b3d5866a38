#if PORTCULLIS_VERIFIER
import Portcullis

/// Builds a Portcullis verifier for the fixture's key, with the same checks jwt-kit makes.
struct PortcullisSide {
    let verifier: JWTVerifier
    let token: String

    init(_ fixture: Fixture) throws {
        let key: CryptoKey
        switch fixture.exportedKey {
        case .publicPEM(let pem): key = try CryptoKey(pem: pem)
        case .hmacSecret(let secret): key = try CryptoKey(hmacSecret: secret)
        }
        let algorithm: JWSAlgorithm =
            switch fixture.algorithm {
            case .hs256: .hs256
            case .rs256: .rs256
            case .ps256: .ps256
            case .es256: .es256
            case .eddsa: .eddsa
            }
        let keys = KeySet([VerificationKey(key, keyID: BenchConstants.keyID, algorithm: algorithm)])
        let configuration = VerifierConfiguration(
            algorithms: [algorithm], issuers: [BenchConstants.issuer], audiences: [BenchConstants.audience])
        verifier = JWTVerifier(keys: keys, configuration: configuration)
        token = fixture.token
    }

    /// Full verification: parse, select the key, check the signature, validate the claims.
    func verifyOnce() throws {
        blackHole(try verifier.verify(token))
    }
}

/// Portcullis is wired in.
let portcullisAvailable = true
#else
/// Placeholder until the Portcullis verifier API is on `main`: build with `-Xswiftc -DPORTCULLIS_VERIFIER`
/// or enable the define in Package.swift.
struct PortcullisSide {
    init(_ fixture: Fixture) throws {}
    func verifyOnce() throws {}
}

/// Portcullis is not wired in yet: its columns are reported as not measured.
let portcullisAvailable = false
#endif
