/// What a policy knows about the request besides the token: the method and route, the AI-specific
/// parameters (model, `max_tokens`) and the attributes of the resource being reached.
///
/// Servers fill it from the request before evaluating a route's policy. Values a policy relies on
/// for tenant isolation (``ResourceAttributes/tenant``) must come from the server's own records or
/// route, never from the request body alone.
public struct RequestAttributes: Sendable, Hashable {
    /// The HTTP method, upper case (`GET`, `POST`).
    public var method: String
    /// The route template that matched (`/v1/datasets/{tenant}/{name}`), or the path.
    public var route: String
    /// The requested model, for inference endpoints.
    public var model: String?
    /// The requested output budget (`max_tokens`), for inference endpoints.
    public var maxTokens: Int?
    /// The resource the request reaches.
    public var resource: ResourceAttributes

    /// Creates request attributes.
    public init(
        method: String = "GET", route: String = "/", model: String? = nil, maxTokens: Int? = nil,
        resource: ResourceAttributes = ResourceAttributes()
    ) {
        self.method = method
        self.route = route
        self.model = model
        self.maxTokens = maxTokens
        self.resource = resource
    }
}

/// Attributes of the resource a request reaches, such as the tenant that owns a dataset.
public struct ResourceAttributes: Sendable, Hashable {
    /// The tenant that owns the resource; tenant-alignment policies compare it with the token.
    public var tenant: String?
    /// The resource's identifier (a dataset or model name).
    public var id: String?
    /// Further attributes, read by templates as `{resource.<name>}`.
    public var attributes: [String: String]

    /// Creates resource attributes.
    public init(tenant: String? = nil, id: String? = nil, attributes: [String: String] = [:]) {
        self.tenant = tenant
        self.id = id
        self.attributes = attributes
    }

    /// The attribute called `name`: `tenant`, `id`, or one of ``attributes``.
    public subscript(name: String) -> String? {
        switch name {
        case "tenant": tenant
        case "id": id
        default: attributes[name]
        }
    }
}
