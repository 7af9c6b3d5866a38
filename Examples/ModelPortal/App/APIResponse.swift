public import Hummingbird
import Portcullis

/// JSON responses of the portal.
enum APIResponse {
    /// A JSON response.
    static func json(_ object: JSONObject, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let bytes = JSONValue.object(object).serializedBytes()
        var fields: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"error": code, "message": message}`.
    static func error(_ code: String, _ message: String, status: HTTPResponse.Status) -> Response {
        json(["error": .string(code), "message": .string(message)], status: status)
    }

    /// `{"name", "versions", "deployed"}`: the summary of the contract.
    static func summary(_ model: ModelRegistry.Model) -> JSONObject {
        [
            "name": .string(model.name),
            "versions": .number(JSONNumber(model.versions.count)),
            "deployed": model.deployed.map { .number(JSONNumber($0)) } ?? .null,
        ]
    }
}

extension ModelRegistry.Failure: HTTPResponseError {
    /// 404 `not_found` for an unknown model or version; 409 `conflict` otherwise.
    public var status: HTTPResponse.Status {
        switch self {
        case .unknownModel, .unknownVersion: .notFound
        case .exists, .nothingToDeploy, .full: .conflict
        }
    }

    /// The JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.error(status == .notFound ? "not_found" : "conflict", message, status: status)
    }
}
