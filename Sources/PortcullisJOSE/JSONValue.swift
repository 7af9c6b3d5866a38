/// A JSON value as read by ``JSONReader``: the data model of JOSE headers, claim sets and JWKs.
///
/// Objects keep their members in document order (duplicates are rejected while reading), and
/// numbers keep their source text so that nothing is lost by a round trip through `Double`.
public enum JSONValue: Sendable, Hashable {
    /// `null`
    case null
    /// `true` or `false`
    case bool(Bool)
    /// A number, with its source text.
    case number(JSONNumber)
    /// A string (valid UTF-8, escapes decoded).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object(JSONObject)
}

/// A JSON number: its exact source text and its value as a `Double` (always finite).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written in the document (or as produced by ``init(_:)-(Int64)``).
    public var text: String { storedText ?? String(int64Value ?? 0) }
    /// The source text, or `nil` when it is exactly `String(int64Value!)` (a canonical integer
    /// literal), so that reading such a number needs no string.
    private let storedText: String?
    /// The value as a `Double`; always finite (the reader rejects numbers that overflow).
    public let doubleValue: Double
    /// The value as an `Int64` when the text is an integer literal that fits, else `nil`.
    public let int64Value: Int64?

    /// Creates a number from already-validated parts. Used by the reader.
    public init(text: String, doubleValue: Double, int64Value: Int64?) {
        self.storedText = text
        self.doubleValue = doubleValue
        self.int64Value = int64Value
    }

    /// A number whose text is `String(int64)`: the reader's integers that are written canonically.
    init(canonicalInteger int64: Int64) {
        self.storedText = nil
        self.doubleValue = Double(int64)
        self.int64Value = int64
    }

    /// An integer number.
    public init(_ value: Int64) {
        self.init(text: String(value), doubleValue: Double(value), int64Value: value)
    }

    /// An integer number (so that `JSONNumber(1)` is not ambiguous between `Int64` and `Double`).
    public init(_ value: Int) {
        self.init(Int64(value))
    }

    /// A number from a finite `Double`; integral values are written without a fraction.
    /// - Precondition: `value.isFinite`.
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON numbers must be finite")
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            self.init(Int64(value))
        } else {
            self.init(text: "\(value)", doubleValue: value, int64Value: nil)
        }
    }

    /// The source text.
    public var description: String { text }

    /// Numbers are equal when their values are equal (`1.0 == 1`).
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.doubleValue == rhs.doubleValue }
    /// Hashes the value.
    public func hash(into hasher: inout Hasher) { hasher.combine(doubleValue) }
}

/// A JSON object: members in document order, names unique.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One `"name": value` member.
    public struct Member: Sendable, Hashable {
        /// The member name.
        public let name: String
        /// The member value.
        public let value: JSONValue

        /// Creates a member.
        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The members in order.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// An object from members whose names the caller guarantees to be unique.
    public init(uniqueMembers: [Member]) { members = uniqueMembers }

    /// An object from name/value pairs; later duplicates replace earlier ones.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        members = []
        for (name, value) in pairs { self[name] = value }
    }

    /// An object literal: `["alg": .string("ES256")]`. Later duplicates replace earlier ones.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = []
        for (name, value) in elements { self[name] = value }
    }

    /// The value of member `name`, or `nil`. Setting `nil` removes the member; setting a value
    /// replaces the member in place or appends it.
    ///
    /// Names match code unit by code unit (RFC 8259 §8.3), not by Unicode canonical equivalence.
    public subscript(name: String) -> JSONValue? {
        get {
            for member in members where sameCodeUnits(member.name, name) { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { sameCodeUnits($0.name, name) }) {
                if let newValue {
                    members[index] = Member(name: name, value: newValue)
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(Member(name: name, value: newValue))
            }
        }
    }

    /// The member names in order.
    public var names: [String] { members.map(\.name) }

    /// Start index of ``members``.
    public var startIndex: Int { members.startIndex }
    /// End index of ``members``.
    public var endIndex: Int { members.endIndex }
    /// The member at `position`.
    public subscript(position: Int) -> Member { members[position] }
}

extension JSONValue {
    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The number, if this is a number.
    public var numberValue: JSONNumber? { if case .number(let n) = self { n } else { nil } }
    /// The Boolean, if this is `true` or `false`.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The array, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The object, if this is an object.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// `true` for `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// A short name of the value's JSON type (`"string"`, `"number"`, …), for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral
{
    /// A string literal is a JSON string: `"tenant": "t123"`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal is a JSON number: `"max_tokens": 256`.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// A Boolean literal is a JSON `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal is a JSON array: `"roles": ["Viewer", "Admin"]`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}
