import Foundation

/// One HTTP exchange made with the real `curl` client.
public struct HTTPResult: Sendable {
    /// The status code.
    public let status: Int
    /// Header fields, names lower-cased, in order.
    public let headers: [(name: String, value: String)]
    /// The body as text.
    public let body: String

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// The body parsed as a JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// Sends requests with `curl`, an HTTP client independent of the server under test, so that what
/// is tested is what goes over the wire on 127.0.0.1.
public enum Curl {
    /// Sends one request.
    /// - Parameters:
    ///   - headers: Sent as given, in order; the same name twice sends two header lines.
    ///   - body: Sent verbatim (`--data-binary`).
    ///   - cookieJar: A file curl reads cookies from and writes them to (`-b`/`-c`), as a browser
    ///     keeps them; redirects are never followed, so each hop can be inspected.
    public static func request(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: String? = nil, cookieJar: String? = nil
    ) async throws -> HTTPResult {
        var arguments = ["-s", "-S", "-i", "--max-time", "20", "-X", method]
        if let cookieJar { arguments += ["-b", cookieJar, "-c", cookieJar] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if body != nil { arguments += ["--data-binary", "@-"] }
        arguments.append(url)
        let output = try await Subprocess.run("/usr/bin/env", ["curl"] + arguments, stdin: body)
        guard output.status == 0 else {
            throw CurlError(message: "curl failed (\(output.status)): \(output.stderr)")
        }
        return try parse(output.stdout)
    }

    /// The cookie `name` in a curl cookie jar (Netscape format), as a `Cookie` header value
    /// `name=value`, to replay it from another client.
    public static func cookie(named name: String, inJar jar: String) -> String? {
        guard let text = try? String(contentsOfFile: jar, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 7, fields[5] == name { return "\(name)=\(fields[6])" }
        }
        return nil
    }

    static func parse(_ raw: String) throws -> HTTPResult {
        guard let separator = raw.range(of: "\r\n\r\n") else { throw CurlError(message: "no header block in: \(raw)") }
        let head = raw[..<separator.lowerBound].split(separator: "\r\n").map(String.init)
        guard let statusLine = head.first, let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw CurlError(message: "bad status line in: \(raw)")
        }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return HTTPResult(status: status, headers: headers, body: String(raw[separator.upperBound...]))
    }
}

/// A curl failure (not an HTTP error status: those are results).
public struct CurlError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// Same as ``message``.
    public var description: String { message }
    /// Creates an error.
    public init(message: String) { self.message = message }
}
