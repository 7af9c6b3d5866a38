public import Foundation

/// A set of route policies, role map and tiers, usually loaded from a policy file (YAML, or JSON,
/// which is read as YAML 1.2's JSON subset).
///
/// Immutable: reloading builds a new document (see ``PolicyStore``).
///
/// ```swift
/// let document = try PolicyDocument.load(contentsOf: URL(fileURLWithPath: "policies/completion.yaml"))
/// if let policy = document.policy(forMethod: "POST", route: "/v1/completions") {
///     let decision = policy.evaluate(context)
/// }
/// ```
///
/// The format is described in `Docs/Policies.md`.
public struct PolicyDocument: Sendable {
    /// One route requirement.
    public struct Route: Sendable {
        /// The HTTP methods (upper case, compared exactly: RFC 9110 §9.1).
        public let methods: [String]
        /// The route template, compared exactly with ``RequestAttributes/route``.
        public let route: String
        /// The policy tree.
        public let policy: any Policy
        /// The line of the route in its file (0 for routes built in code).
        public let line: Int

        /// Creates a route requirement.
        public init(methods: [String], route: String, policy: any Policy, line: Int = 0) {
            self.methods = methods
            self.route = route
            self.policy = policy
            self.line = line
        }
    }

    /// The longest policy file accepted, in bytes.
    public static let maximumFileSize = 1 << 20

    /// Where the document came from (a file name, or `<memory>`).
    public let source: String
    /// The route requirements, in file order.
    public let routes: [Route]
    /// The role map, when the document has one.
    public let roles: RoleMap?
    /// The claim that holds roles.
    public let rolesClaim: ClaimPath
    /// The tiers, when the document has them.
    public let catalog: TierCatalog?
    private let index: [RouteKey: Int]

    private struct RouteKey: Hashable {
        var method: String
        var route: String
    }

    /// Creates a document from parts (the loader's result, or one built in code).
    /// A later route with the same method and route as an earlier one is ignored by lookups.
    public init(
        source: String = "<memory>", routes: [Route], roles: RoleMap? = nil, rolesClaim: ClaimPath = "roles",
        catalog: TierCatalog? = nil
    ) {
        self.source = source
        self.routes = routes
        self.roles = roles
        self.rolesClaim = rolesClaim
        self.catalog = catalog
        var index: [RouteKey: Int] = [:]
        for (position, route) in routes.enumerated() {
            for method in route.methods where index[RouteKey(method: method, route: route.route)] == nil {
                index[RouteKey(method: method, route: route.route)] = position
            }
        }
        self.index = index
    }

    /// The policy for `method` and `route`, or `nil` when the document has no requirement for
    /// them (the caller decides what an unlisted route means; denying it is the safe default).
    public func policy(forMethod method: String, route: String) -> (any Policy)? {
        index[RouteKey(method: method, route: route)].map { routes[$0].policy }
    }

    /// Parses a policy document from text.
    /// - Parameters:
    ///   - text: YAML or JSON.
    ///   - file: the name used in error messages.
    /// - Throws: ``PolicyFileError`` naming the file, line and field of the first problem.
    public static func parse(_ text: String, file: String = "<memory>") throws(PolicyFileError) -> PolicyDocument {
        guard text.utf8.count <= maximumFileSize else {
            throw PolicyFileError(
                file: file, line: nil, column: nil, field: "", message: "the file is larger than \(maximumFileSize) bytes")
        }
        return try PolicyFileParser(file: file).document(text)
    }

    /// Reads and parses the policy file at `url` (UTF-8, at most ``maximumFileSize`` bytes).
    /// - Throws: ``PolicyFileError`` when the file cannot be read or is invalid.
    public static func load(contentsOf url: URL) throws(PolicyFileError) -> PolicyDocument {
        let name = url.lastPathComponent
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        } catch {
            throw PolicyFileError(file: name, line: nil, column: nil, field: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        guard data.count <= maximumFileSize else {
            throw PolicyFileError(file: name, line: nil, column: nil, field: "", message: "the file is larger than \(maximumFileSize) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyFileError(file: name, line: nil, column: nil, field: "", message: "the file is not UTF-8")
        }
        return try parse(text, file: name)
    }
}
