public import PortcullisJOSE
import PortcullisJWT

extension Session {
    /// The session as bytes (JSON) for a persistent or shared ``SessionStore`` (a file, Redis, a
    /// database row keyed by ``id``). It holds the provider's access and refresh tokens: keep the
    /// store access-controlled and, if it leaves the host, encrypted at rest.
    public func storedRecord() -> [UInt8] {
        var json: JSONObject = [
            "v": 1, "id": .string(id), "sub": .string(subject), "token": .object(token.storedForm),
            "id_token": .string(rawIDToken), "csrf": .string(csrfToken),
            "created": .number(JSONNumber(createdAt)), "seen": .number(JSONNumber(lastSeen)),
            "claims_at": .number(JSONNumber(claimsReadAt)),
        ]
        if let accessToken { json["at"] = .string(accessToken) }
        if let refreshToken { json["rt"] = .string(refreshToken) }
        if let accessTokenExpiresAt { json["at_exp"] = .number(JSONNumber(accessTokenExpiresAt)) }
        return JSONValue.object(json).serializedBytes()
    }

    /// Restores ``storedRecord()``. The claims are **not** verified again: use it only for records
    /// your own store wrote, never for bytes a client sent.
    /// - Throws: `malformed` for anything else.
    public init(storedRecord bytes: [UInt8]) throws(PortcullisError) {
        let json = try JSONReader.parseObject(bytes, limits: .default)
        func string(_ name: String) throws(PortcullisError) -> String {
            guard let value = json[name]?.stringValue else { throw PortcullisError(.malformed, "a stored session has no \"\(name)\"") }
            return value
        }
        func number(_ name: String) throws(PortcullisError) -> Double {
            guard let value = json[name]?.numberValue?.doubleValue else {
                throw PortcullisError(.malformed, "a stored session has no \"\(name)\"")
            }
            return value
        }
        guard json["v"]?.numberValue?.doubleValue == 1, let token = json["token"]?.objectValue else {
            throw PortcullisError(.malformed, "not a stored session (version 1)")
        }
        self.init(
            id: try string("id"), subject: try string("sub"), token: try VerifiedToken(restoring: token),
            rawIDToken: try string("id_token"), csrfToken: try string("csrf"), createdAt: try number("created"),
            lastSeen: try number("seen"), accessToken: json["at"]?.stringValue, refreshToken: json["rt"]?.stringValue,
            accessTokenExpiresAt: json["at_exp"]?.numberValue?.doubleValue, claimsReadAt: try number("claims_at"))
    }
}
