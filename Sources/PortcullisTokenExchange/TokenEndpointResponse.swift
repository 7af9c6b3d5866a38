public import HTTPTypes
public import PortcullisJOSE

/// A token endpoint's answer, framework-neutral: status, header fields and the JSON body.
///
/// Every answer carries `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
public struct TokenEndpointResponse: Sendable {
    /// The status and header fields.
    public let head: HTTPResponse
    /// The JSON body.
    public let body: [UInt8]

    /// `200` with a §2.2.1 body.
    public static func success(_ object: JSONObject) -> TokenEndpointResponse {
        TokenEndpointResponse(head: HTTPResponse(status: .ok, headerFields: fields()), body: JSONValue.object(object).serializedBytes())
    }

    /// The §2.2.2 / RFC 6749 §5.2 error: `400`, or `401` for `invalid_client` (with
    /// `WWW-Authenticate: Basic` when the client tried HTTP Basic), `503` when a partner's keys
    /// cannot be fetched, `500` for a crypto backend failure.
    public static func error(_ error: PortcullisError, basicAttempted: Bool, realm: String) -> TokenEndpointResponse {
        var headers = fields()
        let code = errorCode(error)
        let status: HTTPResponse.Status = switch code {
        case "invalid_client": .unauthorized
        case "temporarily_unavailable": .serviceUnavailable
        case "server_error": .internalServerError
        default: .badRequest
        }
        if code == "invalid_client", basicAttempted {
            headers[.wwwAuthenticate] = "Basic realm=\"\(description(realm))\", charset=\"UTF-8\""
        }
        let body: JSONObject = ["error": .string(code), "error_description": .string(Self.description(error.message))]
        return TokenEndpointResponse(head: HTTPResponse(status: status, headerFields: headers), body: JSONValue.object(body).serializedBytes())
    }

    /// `error_description` may hold only `%x20-21 / %x23-5B / %x5D-7E` (RFC 6749 §5.2).
    static func description(_ message: String) -> String {
        String(String.UnicodeScalarView(message.unicodeScalars.prefix(512).map {
            switch $0.value {
            case 0x22: "'"
            case 0x5C: "/"
            case 0x20...0x7E: $0
            default: "?"
            }
        }))
    }

    private static func fields() -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        if let pragma = HTTPField.Name("Pragma") { fields[pragma] = "no-cache" }
        return fields
    }
}
