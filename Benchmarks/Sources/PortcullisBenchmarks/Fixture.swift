import CryptoExtras
import Foundation
import JWTKit

/// The issuer and audience every benchmark token carries and every verifier checks.
enum BenchConstants {
    static let issuer = "https://issuer.example"
    static let audience = "api://completions"
    static let keyID = "bench"
}

/// A realistic RFC 9068 access token payload, with the claim checks a resource server makes.
struct AccessTokenClaims: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var nbf: NotBeforeClaim
    var jti: IDClaim
    var clientID: String
    var scope: String
    var tenant: String
    var tier: String

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nbf, jti
        case clientID = "client_id"
        case scope, tenant, tier
    }

    struct ClaimFailure: Error {}

    /// The same checks Portcullis makes in the benchmark: exp, nbf, iat not in the future, iss, aud.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        let now = Date()
        try exp.verifyNotExpired(currentDate: now)
        try nbf.verifyNotBefore(currentDate: now.addingTimeInterval(60))
        guard iat.value <= now.addingTimeInterval(60) else { throw ClaimFailure() }
        guard iss.value == BenchConstants.issuer else { throw ClaimFailure() }
        try aud.verifyIntendedAudience(includes: BenchConstants.audience)
    }

    static func sample(now: Date) -> AccessTokenClaims {
        let issued = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return AccessTokenClaims(
            iss: IssuerClaim(value: BenchConstants.issuer),
            sub: SubjectClaim(value: "user_01HZX8K3V9Q2M7R4T6W8Y0B2D4F6H8J0-ent-acme-corp-eu-west-1@idp.acme-corp.example"),
            aud: AudienceClaim(value: [BenchConstants.audience]),
            exp: ExpirationClaim(value: issued.addingTimeInterval(3600)),
            iat: IssuedAtClaim(value: issued),
            nbf: NotBeforeClaim(value: issued),
            jti: IDClaim(value: "b2f7c3e1-5d4a-4c8e-9f0b-7a6d5e4c3b2a"),
            clientID: "app_completions_dashboard_7d9f2a61c4e8",
            scope: "completions completions:premium models:read",
            tenant: "t123-acme-corporation",
            tier: "premium"
        )
    }
}

/// How Portcullis loads the benchmark key.
enum ExportedKey: Sendable {
    /// A SubjectPublicKeyInfo PEM (RSA, EC, Ed25519).
    case publicPEM(String)
    /// Raw HMAC secret bytes.
    case hmacSecret([UInt8])
}

/// One algorithm's token, the public half of its key, and a jwt-kit collection that verifies it.
struct Fixture: Sendable {
    let algorithm: BenchAlgorithm
    let token: String
    let exportedKey: ExportedKey
    /// A collection holding only the verification key (public key, or the HMAC secret).
    let jwtKitKeys: JWTKeyCollection

    /// Bytes of the JWS signing input (`header.payload`).
    var signingInputLength: Int {
        guard let lastDot = token.lastIndex(of: ".") else { return token.utf8.count }
        return token.utf8.distance(from: token.startIndex, to: lastDot)
    }

    /// Generates a fresh key, mints a token with jwt-kit, and exports the verification key.
    static func make(_ algorithm: BenchAlgorithm, now: Date = Date()) async throws -> Fixture {
        let kid = JWKIdentifier(string: BenchConstants.keyID)
        let signer = JWTKeyCollection()
        let verifier = JWTKeyCollection()
        let exported: ExportedKey
        switch algorithm {
        case .hs256:
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            await signer.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: kid)
            await verifier.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: kid)
            exported = .hmacSecret(secret)
        case .rs256, .ps256:
            let key = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            if algorithm == .rs256 {
                await signer.add(rsa: key, digestAlgorithm: .sha256, kid: kid)
                await verifier.add(rsa: key.publicKey, digestAlgorithm: .sha256, kid: kid)
            } else {
                await signer.add(pss: key, digestAlgorithm: .sha256, kid: kid)
                await verifier.add(pss: key.publicKey, digestAlgorithm: .sha256, kid: kid)
            }
            exported = .publicPEM(key.publicKey.pemRepresentation)
        case .es256:
            let key = ECDSA.PrivateKey<P256>()
            await signer.add(ecdsa: key, kid: kid)
            await verifier.add(ecdsa: key.publicKey, kid: kid)
            exported = .publicPEM(key.publicKey.pemRepresentation)
        case .eddsa:
            let key = try EdDSA.PrivateKey(curve: .ed25519)
            await signer.add(eddsa: key, kid: kid)
            await verifier.add(eddsa: key.publicKey, kid: kid)
            exported = .publicPEM(key.publicKey.pemRepresentation)
        }
        var header = JWTHeader()
        header.typ = "at+jwt"
        let token = try await signer.sign(AccessTokenClaims.sample(now: now), kid: kid, header: header)
        return Fixture(algorithm: algorithm, token: token, exportedKey: exported, jwtKitKeys: verifier)
    }
}
