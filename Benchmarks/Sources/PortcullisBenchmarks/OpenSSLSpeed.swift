import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `openssl speed` and reads the verify/s column, the raw-primitive reference for the targets.
enum OpenSSLSpeed {
    enum Primitive: String, CaseIterable, Sendable {
        case rsa2048
        case ecdsaP256 = "ecdsap256"
        case ed25519

        /// A fragment of the result line that `openssl speed` prints for this primitive (OpenSSL 1.1 and 3.x).
        var lineMarker: String {
            switch self {
            case .rsa2048: "rsa 2048 bits"
            case .ecdsaP256: "ecdsa (nistp256)"
            case .ed25519: "EdDSA (Ed25519)"
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `openssl speed -seconds N <primitives>` once (single process, single core) and parses it.
    static func run(seconds: Int, primitives: [Primitive]) throws -> (version: String, verifyPerSecond: [Primitive: Double]) {
        guard !primitives.isEmpty else { return ("", [:]) }
        let version = (try? execute(["version"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? "unknown"
        let output = try execute(["speed", "-seconds", String(seconds)] + primitives.map(\.rawValue))
        let parsed = parse(output)
        for primitive in primitives where parsed[primitive] == nil {
            throw Failure(description: "could not find the '\(primitive.lineMarker)' line in `openssl speed` output")
        }
        return (version, parsed)
    }

    /// Parses `openssl speed` output: on each result line the last number is verify/s.
    static func parse(_ output: String) -> [Primitive: Double] {
        var result: [Primitive: Double] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            for primitive in Primitive.allCases where line.contains(primitive.lineMarker) {
                let fields = line.split(whereSeparator: \.isWhitespace)
                if let last = fields.last, let value = Double(last) { result[primitive] = value }
            }
        }
        return result
    }

    /// Runs `openssl ARGUMENTS` and returns its standard output.
    ///
    /// `openssl speed` times itself with `SIGALRM`. Threads of the Swift runtime (and so a child spawned
    /// by `Foundation.Process` from them) may have that signal blocked, and then `speed` never stops. The
    /// child is therefore spawned with an empty signal mask and `SIGALRM` at its default action.
    private static func execute(_ arguments: [String]) throws -> String {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw Failure(description: "pipe() failed") }
        defer { close(fds[0]) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGALRM)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = (["openssl"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "openssl", &actions, &attributes, argv, environ)
        close(fds[1])
        guard spawned == 0 else {
            throw Failure(description: "cannot start openssl: \(String(cString: strerror(spawned)))")
        }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED(status) && WEXITSTATUS(status) == 0, spelled out (the C macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Failure(description: "`openssl \(arguments.joined(separator: " "))` failed (wait status \(status))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
