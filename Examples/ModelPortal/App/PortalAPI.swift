import Hummingbird
import Portcullis
import PortcullisHummingbird

/// The JSON API under `/api/`. Every route authenticates first (401), then checks the action's
/// permission (403 `access_denied`), and only then reads the body (400, 413) and looks the model
/// up (404), so a caller without the permission learns nothing about which models exist.
struct PortalAPI: Sendable {
    typealias Context = ModelPortal.Context
    let portal: ModelPortal

    private var permissions: PortalPermissions { portal.permissions }
    private var registry: ModelRegistry { portal.registry }

    func register(on api: RouterGroup<Context>) {
        api.get("me") { request, context in try me(request, context) }
        api.get("models") { request, context in try await list(request, context) }
        api.post("models") { request, context in try await create(request, context) }
        api.get("models/:name") { request, context in try await read(request, context) }
        api.delete("models/:name") { request, context in try await delete(request, context) }
        api.post("models/:name/versions") { request, context in try await upload(request, context) }
        api.post("models/:name/deploy") { request, context in try await deploy(request, context) }
    }

    /// `GET /api/me`: the caller's subject, roles and the permissions they grant (any valid token).
    private func me(_ request: Request, _ context: Context) throws -> Response {
        let token = try context.verifiedToken()
        let roles = permissions.roleNames(in: token)
        return APIResponse.json([
            "sub": token.subject.map(JSONValue.string) ?? .null,
            "roles": .array(roles.map(JSONValue.string)),
            "permissions": .array(permissions.roles.permissions(for: roles).sorted().map(JSONValue.string)),
        ])
    }

    /// `GET /api/models` (Viewer and up): `{"models": [{"name", "versions", "deployed"}]}`.
    private func list(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        try context.authorize(permissions.read, request: request)
        let models = await registry.list()
        return APIResponse.json(["models": .array(models.map { .object(APIResponse.summary($0)) })])
    }

    /// `GET /api/models/{name}` (Viewer and up): the summary plus `history`.
    private func read(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        try context.authorize(permissions.read, request: request)
        let model = try await registry.model(try name(context))
        var body = APIResponse.summary(model)
        body["history"] = .array(model.versions.map { version in
            .object([
                "version": .number(JSONNumber(version.number)),
                "note": .string(version.note),
                "uploaded_by": .string(version.uploadedBy),
            ])
        })
        return APIResponse.json(body)
    }

    /// `POST /api/models` with `{"name"}` (Data Scientist and up): 201 with the new model.
    private func create(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        try context.authorize(permissions.write, request: request)
        let name = try await body(request, context, route: permissions.write.name).modelName()
        let model = try await registry.create(name)
        return APIResponse.json(APIResponse.summary(model), status: .created, headers: [.location: "/api/models/\(name)"])
    }

    /// `POST /api/models/{name}/versions` with optional `{"note"}` (Data Scientist and up): 201
    /// with `{"name", "version"}`, the new version number.
    private func upload(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        let principal = try context.authorize(permissions.write, request: request)
        let note = try await body(request, context, route: permissions.write.name).note()
        let name = try name(context)
        let version = try await registry.addVersion(to: name, note: note, by: principal.subject ?? "-")
        return APIResponse.json(["name": .string(name), "version": .number(JSONNumber(version))], status: .created)
    }

    /// `POST /api/models/{name}/deploy` with optional `{"version"}` (Admin): deploys that version,
    /// or the latest; answers the summary.
    private func deploy(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        try context.authorize(permissions.deploy, request: request)
        let version = try await body(request, context, route: permissions.deploy.name).version()
        let model = try await registry.deploy(try name(context), version: version)
        return APIResponse.json(APIResponse.summary(model))
    }

    /// `DELETE /api/models/{name}` (Admin): 204.
    private func delete(_ request: Request, _ context: Context) async throws -> Response {
        var context = context
        try context.authorize(permissions.delete, request: request)
        try await registry.delete(try name(context))
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    private func body(_ request: Request, _ context: Context, route: String) async throws -> RequestBody {
        try await RequestBody(request, context, limit: portal.configuration.maximumBodySize, route: route)
    }

    private func name(_ context: Context) throws -> String {
        guard let name = context.parameters.get("name") else { throw ModelRegistry.Failure.unknownModel("") }
        return name
    }
}
