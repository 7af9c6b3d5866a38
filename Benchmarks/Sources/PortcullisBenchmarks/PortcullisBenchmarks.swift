import Foundation
import JWTKit

/// Compares Portcullis with jwt-kit and raw OpenSSL on single-core token verification.
@main
struct PortcullisBenchmarks {
    static func main() async {
        let options: Options
        do {
            options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        if options.policy {
            do {
                let results = try PolicyBench.run(options) + (try await MiddlewareBench.run(options)) + (try await SessionBench.run(options))
                print(PolicyBench.report(results, json: options.json))
                if options.strict, results.contains(where: { !$0.meets }) { exit(1) }
            } catch {
                FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
                exit(1)
            }
            return
        }
        do {
            let rows = try await run(options)
            print(options.json
                ? try Report.json(rows.rows, options: options, opensslVersion: rows.opensslVersion)
                : Report.table(rows.rows, options: options, opensslVersion: rows.opensslVersion))
            if options.strict, rows.rows.contains(where: { $0.meetsTarget == false }) { exit(1) }
        } catch {
            FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
            exit(1)
        }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
    }

    static func run(_ options: Options) async throws -> (rows: [Row], opensslVersion: String) {
        var rows: [Row] = []
        for algorithm in options.algorithms {
            let fixture = try await Fixture.make(algorithm)
            // Both verifiers must accept the token before anything is timed.
            let jwtKitKeys = fixture.jwtKitKeys
            let token = fixture.token
            _ = try await jwtKitKeys.verify(token, as: AccessTokenClaims.self)
            var portcullisRate: Double?
            if portcullisAvailable, options.only != "jwt-kit" {
                let side = try PortcullisSide(fixture)
                try side.verifyOnce()
                log("\(algorithm.rawValue): Portcullis for \(options.seconds) s")
                portcullisRate = try measure(seconds: options.seconds, warmup: options.warmup) {
                    try side.verifyOnce()
                }.opsPerSecond
            }
            var jwtKitRate: Double?
            if options.only != "portcullis" {
                log("\(algorithm.rawValue): jwt-kit for \(options.seconds) s")
                jwtKitRate = try await measureAsync(seconds: options.seconds, warmup: options.warmup) {
                    blackHole(try await jwtKitKeys.verify(token, as: AccessTokenClaims.self))
                }.opsPerSecond
            }
            rows.append(Row(
                algorithm: algorithm, signingInputBytes: fixture.signingInputLength,
                portcullis: portcullisRate, jwtKit: jwtKitRate, openSSL: nil))
        }
        var version = ""
        if !options.skipOpenSSL {
            var primitives: [OpenSSLSpeed.Primitive] = []
            for algorithm in options.algorithms {
                if let primitive = algorithm.opensslPrimitive, !primitives.contains(primitive) { primitives.append(primitive) }
            }
            log("openssl speed -seconds \(options.opensslSeconds) \(primitives.map(\.rawValue).joined(separator: " "))")
            let speed = try OpenSSLSpeed.run(seconds: options.opensslSeconds, primitives: primitives)
            version = speed.version
            for index in rows.indices {
                if let primitive = rows[index].algorithm.opensslPrimitive {
                    rows[index].openSSL = speed.verifyPerSecond[primitive]
                }
            }
        }
        return (rows, version)
    }
}
