import Foundation

/// One table row.
struct Row: Sendable {
    var algorithm: BenchAlgorithm
    var signingInputBytes: Int
    var portcullis: Double?
    var jwtKit: Double?
    var openSSL: Double?

    var ratioToJWTKit: Double? {
        guard let portcullis, let jwtKit, jwtKit > 0 else { return nil }
        return portcullis / jwtKit
    }
    var ratioToOpenSSL: Double? {
        guard let portcullis, let openSSL, openSSL > 0 else { return nil }
        return portcullis / openSSL
    }

    /// `true` pass, `false` miss, `nil` when there is no target or nothing to compare.
    var meetsTarget: Bool? {
        guard let target = algorithm.target, let portcullis else { return nil }
        switch target {
        case .absolute(let goal): return portcullis >= goal
        case .relativeToOpenSSL(let goal): return ratioToOpenSSL.map { $0 >= goal }
        }
    }

    var verdict: String {
        guard algorithm.target != nil else { return "-" }
        switch meetsTarget {
        case .some(true): return "PASS"
        case .some(false): return "MISS"
        case .none: return "n/a"
        }
    }
}

enum Report {
    static func table(_ rows: [Row], options: Options, opensslVersion: String) -> String {
        func ops(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "n/a" }
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.2fx", $0) } ?? "n/a" }
        let header = ["alg", "input B", "Portcullis/s", "jwt-kit/s", "P/jwt-kit", "OpenSSL verify/s", "P/OpenSSL", "target", "result"]
        var lines = [header]
        for row in rows {
            lines.append([
                row.algorithm.rawValue, String(row.signingInputBytes), ops(row.portcullis), ops(row.jwtKit),
                ratio(row.ratioToJWTKit), ops(row.openSSL), ratio(row.ratioToOpenSSL),
                row.algorithm.target?.description ?? "-", row.verdict,
            ])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        var out = lines.map { line in
            line.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        out.insert(String(repeating: "-", count: out[0].count), at: 1)
        out.append("")
        out.append("single core, \(options.seconds) s per measurement after \(options.warmup) s warm-up; "
            + (options.skipOpenSSL ? "openssl speed skipped" : "openssl speed -seconds \(options.opensslSeconds) (\(opensslVersion))"))
        out.append("OpenSSL reference for PS256 is rsa2048 (PKCS#1 v1.5) verify; PS256 has no target.")
        if !portcullisAvailable {
            out.append("Portcullis not measured: the verifier API is not wired in yet (see Benchmarks/README.md).")
        }
        return out.joined(separator: "\n")
    }

    static func json(_ rows: [Row], options: Options, opensslVersion: String) throws -> String {
        var results: [[String: Any]] = []
        for row in rows {
            var entry: [String: Any] = [
                "alg": row.algorithm.rawValue,
                "signing_input_bytes": row.signingInputBytes,
                "target": row.algorithm.target?.description ?? NSNull(),
                "result": row.verdict,
            ]
            entry["portcullis_ops_per_s"] = row.portcullis ?? NSNull()
            entry["ratio_portcullis_jwtkit"] = row.ratioToJWTKit ?? NSNull()
            entry["jwtkit_ops_per_s"] = row.jwtKit ?? NSNull()
            entry["openssl_verify_per_s"] = row.openSSL ?? NSNull()
            entry["ratio_portcullis_openssl"] = row.ratioToOpenSSL ?? NSNull()
            results.append(entry)
        }
        let document: [String: Any] = [
            "seconds": options.seconds,
            "warmup": options.warmup,
            "openssl_seconds": options.skipOpenSSL ? NSNull() : options.opensslSeconds,
            "openssl_version": options.skipOpenSSL ? NSNull() : opensslVersion,
            "portcullis_measured": portcullisAvailable,
            "results": results,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
