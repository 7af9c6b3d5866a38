#if Hummingbird
public import Hummingbird
public import PortcullisTokenExchange
import Portcullis

extension Router {
    /// Serves a token-exchange service (RFC 8693) on this router:
    /// - `POST <tokenPath>` — the token endpoint; the body is read up to the service's
    ///   ``TokenExchangeConfiguration/maximumBodySize`` (a larger one is `invalid_request`);
    /// - `GET /.well-known/oauth-authorization-server` — RFC 8414 metadata;
    /// - `GET <jwksPath>` — the service's JWK Set (current and previous keys).
    ///
    /// ```swift
    /// let router = Router()
    /// router.addTokenExchange(service)
    /// ```
    ///
    /// The paths must match the URLs in the service's configuration (by default
    /// `/oauth2/token` and `/.well-known/jwks.json` below its issuer).
    public func addTokenExchange(
        _ service: TokenExchangeService, tokenPath: RouterPath = "oauth2/token", jwksPath: RouterPath = ".well-known/jwks.json"
    ) {
        let metadata = JSONResponseBody(service.metadata)
        get(".well-known/oauth-authorization-server") { _, _ in metadata.response }
        get(jwksPath) { _, _ in JSONResponseBody(try service.keys.jwks()).response }
        post(tokenPath) { request, _ in await Self.exchange(request, service: service) }
    }

    private static func exchange(_ request: Request, service: TokenExchangeService) async -> Response {
        var request = request
        let limit = service.configuration.maximumBodySize
        let answer: TokenEndpointResponse
        do {
            let body = Array(buffer: try await request.collectBody(upTo: limit))
            answer = await service.handle(request.head, body: body)
        } catch {
            answer = .error(
                PortcullisError(.invalidRequest, "the body is larger than \(limit) bytes"), basicAttempted: false,
                realm: service.configuration.issuer)
        }
        return Response(status: answer.head.status, headers: answer.head.headerFields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// A JSON object as a `200` response.
private struct JSONResponseBody: Sendable {
    let bytes: [UInt8]
    init(_ object: JSONObject) { bytes = JSONValue.object(object).serializedBytes() }
    var response: Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
#endif
