import Yams

/// Typed, located access to the nodes of a composed YAML (or JSON) document. Every failure names
/// the file, the node's line and column and the field path. Internal to the loader.
final class PolicyFileReader {
    /// Nodes visited before a file is refused as too large (aliases can repeat a subtree).
    static let nodeBudget = 50_000

    let file: String
    private var visited = 0

    init(file: String) {
        self.file = file
    }

    func error(_ node: Node?, _ field: String, _ message: String) -> PolicyFileError {
        let mark = node?.mark
        return PolicyFileError(file: file, line: mark?.line, column: mark?.column, field: field, message: message)
    }

    private func visit(_ node: Node, _ field: String) throws(PolicyFileError) {
        visited += 1
        if visited > Self.nodeBudget {
            throw error(node, field, "the document has more than \(Self.nodeBudget) nodes (aliases included)")
        }
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar:
            switch node.tagName {
            case .str: "a string"
            case .int: "an integer"
            case .float: "a number"
            case .bool: "a boolean"
            case .null: "null"
            default: "a scalar"
            }
        }
    }

    private func wrongType(_ node: Node, _ field: String, _ expected: String) -> PolicyFileError {
        error(node, field, "expected \(expected), found \(Self.kind(node))")
    }

    /// A mapping whose keys are strings among `allowed`, in document order; `required` keys must be present.
    func mapping(
        _ node: Node, _ field: String, allowed: [String], required: [String] = []
    ) throws(PolicyFileError) -> [(key: String, keyNode: Node, value: Node)] {
        try visit(node, field)
        guard case .mapping(let mapping) = node else { throw wrongType(node, field, "a mapping") }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, keyNode.tagName == .str else {
                throw error(keyNode, field, "keys must be strings, found \(Self.kind(keyNode))")
            }
            guard allowed.contains(scalar.string) else {
                throw error(
                    keyNode, Self.join(field, scalar.string),
                    "unknown key \"\(scalar.string)\" (expected one of: \(allowed.joined(separator: ", ")))")
            }
            entries.append((scalar.string, keyNode, value))
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            throw error(node, field, "the required key \"\(key)\" is missing")
        }
        return entries
    }

    /// A mapping with arbitrary string keys (a role map), in document order.
    func dictionary(_ node: Node, _ field: String) throws(PolicyFileError) -> [(key: String, value: Node)] {
        try visit(node, field)
        guard case .mapping(let mapping) = node else { throw wrongType(node, field, "a mapping") }
        var entries: [(key: String, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, keyNode.tagName == .str else {
                throw error(keyNode, field, "keys must be strings, found \(Self.kind(keyNode))")
            }
            entries.append((scalar.string, value))
        }
        return entries
    }

    func sequence(_ node: Node, _ field: String) throws(PolicyFileError) -> [Node] {
        try visit(node, field)
        guard case .sequence(let sequence) = node else { throw wrongType(node, field, "a list") }
        return Array(sequence)
    }

    func string(_ node: Node, _ field: String, nonEmpty: Bool = true) throws(PolicyFileError) -> String {
        try visit(node, field)
        guard case .scalar(let scalar) = node, node.tagName == .str else { throw wrongType(node, field, "a string") }
        if nonEmpty && scalar.string.isEmpty { throw error(node, field, "must not be empty") }
        return scalar.string
    }

    /// A list of non-empty strings.
    func strings(_ node: Node, _ field: String) throws(PolicyFileError) -> [String] {
        var result: [String] = []
        for (index, element) in try sequence(node, field).enumerated() {
            result.append(try string(element, "\(field)[\(index)]"))
        }
        return result
    }

    func int(_ node: Node, _ field: String, in range: ClosedRange<Int>) throws(PolicyFileError) -> Int {
        try visit(node, field)
        guard node.tagName == .int, let value = node.int else { throw wrongType(node, field, "an integer") }
        guard range.contains(value) else {
            throw error(node, field, "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// A positive number of seconds, or one of `second`, `minute`, `hour`, `day`.
    func seconds(_ node: Node, _ field: String) throws(PolicyFileError) -> Double {
        try visit(node, field)
        if node.tagName == .str, let word = node.string {
            switch word {
            case "second": return 1
            case "minute": return 60
            case "hour": return 3600
            case "day": return 86_400
            default: throw error(node, field, "expected a number of seconds or second, minute, hour or day; found \"\(word)\"")
            }
        }
        guard node.tagName == .int || node.tagName == .float, let value = node.float else {
            throw wrongType(node, field, "a number of seconds or second, minute, hour or day")
        }
        guard value.isFinite, value > 0, value <= 31_622_400 else {
            throw error(node, field, "must be a positive number of seconds up to a year")
        }
        return value
    }

    func bool(_ node: Node, _ field: String) throws(PolicyFileError) -> Bool {
        try visit(node, field)
        guard node.tagName == .bool, let value = node.bool else { throw wrongType(node, field, "true or false") }
        return value
    }

    static func join(_ field: String, _ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }
}

extension Node {
    /// The resolved tag's name (`Tag.name` is internal to Yams; its raw value is public).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
