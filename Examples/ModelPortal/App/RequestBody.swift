import Hummingbird
import Portcullis
import PortcullisHummingbird

/// A small JSON request body, read after the permission check and validated member by member.
/// Problems are refusals with the standard shape (and audited under the route's requirement
/// name): 413 `request_too_large`, 400 `invalid_request`.
struct RequestBody {
    /// Bounds on body JSON: shallow and small.
    static let limits = JSONLimits(maxDepth: 4, maxNumberLength: 20, maxStringLength: 4096, maxMembers: 32)
    /// The longest version note, in characters.
    static let maximumNoteLength = 1000

    /// The body as a JSON object, or `nil` when it is empty (no body is fine where every member is optional).
    let object: JSONObject?
    private let request: Request
    private let context: ModelPortal.Context
    private let route: String

    /// Reads at most `limit` bytes of `request`'s body and parses them.
    /// - Parameter route: The requirement's name, for the audit event of a refusal.
    init(_ request: Request, _ context: ModelPortal.Context, limit: Int, route: String) async throws {
        self.context = context
        self.route = route
        var request = request
        let bytes: [UInt8]
        do {
            bytes = Array(buffer: try await request.collectBody(upTo: limit))
        } catch {
            throw context.refuse(
                PortcullisError(.requestTooLarge, "the body is larger than \(limit) bytes"), request: request, route: route)
        }
        self.request = request
        guard bytes.contains(where: { !Self.isWhitespace($0) }) else {
            object = nil
            return
        }
        do {
            object = try JSONReader.parseObject(bytes, limits: Self.limits)
        } catch {
            throw context.refuse(
                PortcullisError(.invalidRequest, "the body must be a JSON object: \(error.message)"), request: request, route: route)
        }
    }

    /// `name`: required; 1–64 characters from `A–Z a–z 0–9 . _ -`, starting with a letter or digit.
    func modelName() throws -> String {
        guard let value = object?["name"] else { throw invalid("the body needs {\"name\": \"<model name>\"}") }
        guard let name = value.stringValue, Self.isValidName(name) else {
            throw invalid("\"name\" must be 1 to 64 characters from A-Z a-z 0-9 . _ - starting with a letter or digit")
        }
        return name
    }

    /// `note`: optional string of at most ``maximumNoteLength`` characters ("" when absent).
    func note() throws -> String {
        guard let value = object?["note"], value != .null else { return "" }
        guard let note = value.stringValue, note.count <= Self.maximumNoteLength else {
            throw invalid("\"note\" must be a string of at most \(Self.maximumNoteLength) characters")
        }
        return note
    }

    /// `version`: optional positive integer (`nil` when absent: the latest version).
    func version() throws -> Int? {
        guard let value = object?["version"], value != .null else { return nil }
        guard let number = value.numberValue?.int64Value, number >= 1, number <= Int64(Int32.max) else {
            throw invalid("\"version\" must be a positive integer")
        }
        return Int(number)
    }

    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func invalid(_ message: String) -> Refusal {
        context.refuse(PortcullisError(.invalidRequest, message), request: request, route: route)
    }
}
