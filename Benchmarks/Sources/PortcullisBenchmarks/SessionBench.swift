import Foundation
import Portcullis

/// Part of `--policy`: what a signed-in browser request costs before the handler — the session
/// cookie opened (AES-256-GCM through OpenSSL), its id looked up and the session's last use saved
/// in the in-memory store — and sealing a new cookie at sign-in.
enum SessionBench {
    static func run(_ options: Options) async throws -> [PolicyBench.Result] {
        let secret = [UInt8](repeating: 7, count: 32)
        let signer = try JWTSigner(key: try CryptoKey(hmacSecret: secret), algorithm: .hs256, keyID: "k1")
        let now = Date().timeIntervalSince1970
        let idToken = try signer.sign([
            "iss": "https://login.example.com", "sub": "ada", "aud": "portal", "roles": ["Admin"],
            "exp": .number(JSONNumber(Int64(now + 3600))), "iat": .number(JSONNumber(Int64(now))),
        ], type: "JWT")
        let keys = KeySet([VerificationKey(try CryptoKey(hmacSecret: secret), keyID: "k1", algorithm: .hs256)])
        let verified = try JWTVerifier(keys: keys, configuration: VerifierConfiguration(
            algorithms: [.hs256], issuers: ["https://login.example.com"], audiences: ["portal"])).verify(idToken)
        let codec = try SessionCookieCodec(cookieName: "portcullis_session", current: try .generate(id: "k1"))
        let store = InMemorySessionStore()
        let manager = SessionManager(configuration: SessionConfiguration(), codec: codec, store: store)
        let id = Base64URL.encode(try SecureRandom.bytes(32))
        try await store.save(Session(
            id: id, subject: "ada", token: verified, rawIDToken: idToken, csrfToken: "csrf", createdAt: now, lastSeen: now,
            accessToken: "at", refreshToken: "rt", accessTokenExpiresAt: now + 3600))
        let payload = JSONValue.object(["sid": .string(id), "exp": .number(JSONNumber(now + 28_800))]).serializedBytes()
        let cookie = try codec.seal(payload)
        guard await manager.resume(cookie) != nil else { throw Options.UsageError(description: "the benchmark session did not resume") }

        PortcullisBenchmarks.log("sessions: resume for \(options.seconds) s")
        let resume = await measureAsync(seconds: options.seconds, warmup: options.warmup) { blackHole(await manager.resume(cookie)) }
        PortcullisBenchmarks.log("sessions: seal for \(options.seconds) s")
        let seal = try measure(seconds: options.seconds, warmup: options.warmup) { blackHole(try codec.seal(payload)) }
        return [
            PolicyBench.Result(name: "session resume (cookie open + store load and save)", nanoseconds: 1e9 / resume.opsPerSecond, target: .infinity),
            PolicyBench.Result(name: "session cookie seal (AES-256-GCM)", nanoseconds: 1e9 / seal.opsPerSecond, target: .infinity),
        ]
    }
}
