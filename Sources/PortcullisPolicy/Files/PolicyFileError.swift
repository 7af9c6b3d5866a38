public import PortcullisJOSE

/// Why a policy file was refused: the file, the line and column, the field (a path such as
/// `routes[2].policy.all_of[1].tenant`) and what is wrong with it.
///
/// ```
/// partner.yaml:14:9: routes[1].policy.tenant: the scope template "dataset:read:{tenant}" has the
/// unknown placeholder {tenant}; use {resource.tenant}, {resource.id}, {resource.<attribute>} or {request.model}
/// ```
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the loader.
    public let file: String
    /// The 1-based line, when known.
    public let line: Int?
    /// The 1-based column, when known.
    public let column: Int?
    /// The field, as a path from the document root (empty for the document itself).
    public let field: String
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int?, column: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `file:line:column: field: message`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let line, line > 0, let column { location += ":\(column)" }
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }

    /// The error as the library's error type (`malformed`, with ``description`` as the message).
    public var error: PortcullisError { PortcullisError(.malformed, description, claim: field.isEmpty ? nil : field) }
}
