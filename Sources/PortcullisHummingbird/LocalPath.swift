#if Hummingbird
/// Where a browser may be sent after sign-in: a path on this server, never another site
/// (OWASP Unvalidated Redirects and Forwards Cheat Sheet; an open redirector would make the
/// portal's sign-in a phishing tool, RFC 6749 §10.15).
enum LocalPath {
    /// The longest accepted path, in bytes.
    static let maximumLength = 2_048

    /// `true` when `path` starts with one `/` not followed by `/` or `\` (`//host` and `/\host`
    /// are other hosts to a browser), and holds only visible ASCII other than `\` — no scheme, no
    /// control character (browsers drop tabs and newlines, turning `/\t/host` into `//host`),
    /// no space.
    static func isSafe(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard (1...maximumLength).contains(bytes.count), bytes[0] == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }
    }
}
#endif
