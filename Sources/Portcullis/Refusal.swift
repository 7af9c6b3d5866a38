public import HTTPTypes
public import PortcullisJOSE
public import PortcullisPolicy

/// A request the middleware refuses, ready to send: status, RFC 6750 challenge and a JSON body
/// `{"error": "<reason code>", "message": "…"}`.
///
/// It is also an `Error`, so adapters can throw it from deep inside a handler.
public struct Refusal: Error, Sendable, CustomStringConvertible {
    /// The stable reason code.
    public let code: PortcullisError.Code
    /// The human explanation (also the `error_description` of the challenge when it has one).
    public let message: String
    /// The response head: status and header fields (`WWW-Authenticate`, `Retry-After`, …).
    public let response: HTTPResponse
    /// The policy's denial tree, when a policy refused.
    public let denial: Denial?
    /// The underlying verification error, when the token was refused.
    public let error: PortcullisError?

    /// Builds the refusal for `error`, following ``ResponseTable``.
    public init(
        _ error: PortcullisError, realm: String, requiredScopes: [String] = [], retryAfter: Int? = nil,
        denial: Denial? = nil, extraFields: HTTPFields = HTTPFields()
    ) {
        self.code = error.code
        self.message = error.message
        self.denial = denial
        self.error = error
        let disposition = ResponseTable.disposition(for: error.code)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        if let challenge = ResponseTable.challenge(
            disposition, realm: realm, description: error.message, scopes: requiredScopes)
        {
            fields[.wwwAuthenticate] = challenge
        }
        if let retryAfter { fields[.retryAfter] = String(max(retryAfter, 1)) }
        fields.append(contentsOf: extraFields)
        self.response = HTTPResponse(status: disposition.status, headerFields: fields)
    }

    /// Builds the refusal for a policy's denial (its code, its deepest message and its required scopes).
    public init(_ denial: Denial, realm: String, retryAfter: Int? = nil, extraFields: HTTPFields = HTTPFields()) {
        self.init(
            denial.error, realm: realm, requiredScopes: denial.requiredScopes, retryAfter: retryAfter, denial: denial,
            extraFields: extraFields)
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status { response.status }

    /// The JSON body: `{"error": "<code>", "message": "<explanation>"}`.
    public var body: [UInt8] {
        JSONValue.object([
            "error": .string(code.rawValue),
            "message": .string(message),
        ]).serializedBytes()
    }

    /// `"<status> <code>: <message>"`.
    public var description: String { "\(response.status.code) \(code.rawValue): \(message)" }
}
