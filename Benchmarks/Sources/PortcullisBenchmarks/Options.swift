/// Command-line options of the benchmark runner (kept dependency-free on purpose).
struct Options: Sendable {
    /// Measured seconds per (algorithm, library) pair.
    var seconds: Double = 2
    /// Warm-up seconds before each measurement.
    var warmup: Double = 0.5
    /// Seconds per algorithm handed to `openssl speed -seconds` (integer, at least 1).
    var opensslSeconds: Int = 2
    /// Emit one JSON object instead of the table.
    var json = false
    /// Skip the `openssl speed` reference run.
    var skipOpenSSL = false
    /// Exit with status 1 when a target is missed.
    var strict = false
    /// Measure only one library (for profiling): `portcullis` or `jwt-kit`.
    var only: String?
    /// Run the policy benchmarks (route policy evaluation, limiter check) instead of verification.
    var policy = false
    /// Algorithms to run, in table order.
    var algorithms: [BenchAlgorithm] = BenchAlgorithm.allCases

    static let usage = """
        usage: PortcullisBenchmarks [--seconds S] [--warmup S] [--openssl-seconds N] [--algorithms HS256,RS256,...]
                                    [--only portcullis|jwt-kit] [--no-openssl] [--json] [--strict] [--policy]
          --seconds S          measured time per library and algorithm (default 2)
          --warmup S           warm-up time before each measurement (default 0.5)
          --openssl-seconds N  seconds per primitive for `openssl speed` (default: --seconds rounded up)
          --algorithms LIST    subset of HS256,RS256,PS256,ES256,EdDSA
          --only LIBRARY       measure only portcullis or jwt-kit (e.g. under a profiler)
          --no-openssl         do not run `openssl speed`
          --json               print one JSON object instead of the table
          --strict             exit 1 if any target is missed
          --policy             measure policy evaluation and the rate limiter instead of verification
        """

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var explicitOpenSSLSeconds: Int?
        var iterator = arguments.makeIterator()
        func value(for flag: String) throws -> String {
            guard let next = iterator.next() else { throw UsageError(description: "\(flag) needs a value") }
            return next
        }
        func positive(_ text: String, _ flag: String) throws -> Double {
            guard let number = Double(text), number.isFinite, number > 0 else {
                throw UsageError(description: "\(flag) needs a positive number, got '\(text)'")
            }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--seconds": options.seconds = try positive(try value(for: argument), argument)
            case "--warmup":
                let text = try value(for: argument)
                guard let number = Double(text), number.isFinite, number >= 0 else {
                    throw UsageError(description: "--warmup needs a number >= 0, got '\(text)'")
                }
                options.warmup = number
            case "--openssl-seconds":
                let text = try value(for: argument)
                guard let number = Int(text), number >= 1 else {
                    throw UsageError(description: "--openssl-seconds needs an integer >= 1, got '\(text)'")
                }
                explicitOpenSSLSeconds = number
            case "--algorithms":
                options.algorithms = try value(for: argument).split(separator: ",").map { name in
                    guard let algorithm = BenchAlgorithm(rawValue: String(name)) else {
                        throw UsageError(description: "unknown algorithm '\(name)'")
                    }
                    return algorithm
                }
            case "--only":
                let library = try value(for: argument)
                guard library == "portcullis" || library == "jwt-kit" else {
                    throw UsageError(description: "--only takes portcullis or jwt-kit, got '\(library)'")
                }
                options.only = library
            case "--no-openssl": options.skipOpenSSL = true
            case "--json": options.json = true
            case "--strict": options.strict = true
            case "--policy": options.policy = true
            case "-h", "--help": throw UsageError(description: usage)
            default: throw UsageError(description: "unknown argument '\(argument)'\n\(usage)")
            }
        }
        options.opensslSeconds = explicitOpenSSLSeconds ?? max(1, Int(options.seconds.rounded(.up)))
        return options
    }
}

/// The algorithms this benchmark compares.
enum BenchAlgorithm: String, CaseIterable, Sendable {
    case hs256 = "HS256"
    case rs256 = "RS256"
    case ps256 = "PS256"
    case es256 = "ES256"
    case eddsa = "EdDSA"

    /// The `openssl speed` primitive whose verify/s is the reference, if any.
    var opensslPrimitive: OpenSSLSpeed.Primitive? {
        switch self {
        case .hs256: nil
        case .rs256, .ps256: .rsa2048
        case .es256: .ecdsaP256
        case .eddsa: .ed25519
        }
    }

    /// The performance target for Portcullis.
    var target: Target? {
        switch self {
        case .hs256: .absolute(700_000)
        case .rs256: .relativeToOpenSSL(0.90)
        case .ps256: nil
        case .es256, .eddsa: .relativeToOpenSSL(0.95)
        }
    }
}

/// A throughput goal: either ops/s or a fraction of OpenSSL's raw verify/s.
enum Target: Sendable {
    case absolute(Double)
    case relativeToOpenSSL(Double)

    var description: String {
        switch self {
        case .absolute(let value): ">= \(Int(value / 1000))k/s"
        case .relativeToOpenSSL(let ratio): ">= \(ratio)x OpenSSL"
        }
    }
}
