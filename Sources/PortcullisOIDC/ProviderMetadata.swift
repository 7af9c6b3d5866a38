public import PortcullisJOSE

/// An authorization server's metadata: OpenID Connect Discovery 1.0 §3 or RFC 8414 §2.
///
/// The registered members are type-checked when the document is read (a string member that is
/// not a string, or a list that is not an array of strings, is `malformed`); every member,
/// including ones this library does not know, stays available in ``json``.
public struct ProviderMetadata: Sendable, Hashable {
    /// The whole document, unknown members included.
    public let json: JSONObject

    /// `issuer` (REQUIRED): equal to the configured issuer (Discovery §4.3, RFC 8414 §3.3).
    public let issuer: String
    /// `jwks_uri`: the provider's JWK Set (REQUIRED in Discovery, OPTIONAL in RFC 8414).
    public let jwksURI: String?
    /// `authorization_endpoint`.
    public let authorizationEndpoint: String?
    /// `token_endpoint`.
    public let tokenEndpoint: String?
    /// `userinfo_endpoint` (OpenID Connect).
    public let userinfoEndpoint: String?
    /// `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0 §2.1).
    public let endSessionEndpoint: String?
    /// `registration_endpoint`.
    public let registrationEndpoint: String?
    /// `introspection_endpoint` (RFC 8414 §2, RFC 7662).
    public let introspectionEndpoint: String?
    /// `revocation_endpoint` (RFC 8414 §2, RFC 7009).
    public let revocationEndpoint: String?
    /// `scopes_supported`.
    public let scopesSupported: [String]?
    /// `response_types_supported`.
    public let responseTypesSupported: [String]?
    /// `grant_types_supported`.
    public let grantTypesSupported: [String]?
    /// `subject_types_supported` (OpenID Connect).
    public let subjectTypesSupported: [String]?
    /// `id_token_signing_alg_values_supported` (OpenID Connect).
    public let idTokenSigningAlgValuesSupported: [String]?
    /// `token_endpoint_auth_methods_supported`.
    public let tokenEndpointAuthMethodsSupported: [String]?
    /// `token_endpoint_auth_signing_alg_values_supported`.
    public let tokenEndpointAuthSigningAlgValuesSupported: [String]?
    /// `code_challenge_methods_supported` (RFC 8414 §2, RFC 7636).
    public let codeChallengeMethodsSupported: [String]?
    /// `claims_supported` (OpenID Connect).
    public let claimsSupported: [String]?

    /// Reads a metadata document.
    /// - Throws: `malformed` when it is not a JSON object, lacks `issuer`, or a registered member
    ///   has the wrong type.
    public init(json: JSONObject) throws(PortcullisError) {
        self.json = json
        guard let issuer = try Self.string("issuer", in: json) else {
            throw PortcullisError(.malformed, "the metadata document has no \"issuer\"", claim: "issuer")
        }
        self.issuer = issuer
        jwksURI = try Self.string("jwks_uri", in: json)
        authorizationEndpoint = try Self.string("authorization_endpoint", in: json)
        tokenEndpoint = try Self.string("token_endpoint", in: json)
        userinfoEndpoint = try Self.string("userinfo_endpoint", in: json)
        endSessionEndpoint = try Self.string("end_session_endpoint", in: json)
        registrationEndpoint = try Self.string("registration_endpoint", in: json)
        introspectionEndpoint = try Self.string("introspection_endpoint", in: json)
        revocationEndpoint = try Self.string("revocation_endpoint", in: json)
        scopesSupported = try Self.strings("scopes_supported", in: json)
        responseTypesSupported = try Self.strings("response_types_supported", in: json)
        grantTypesSupported = try Self.strings("grant_types_supported", in: json)
        subjectTypesSupported = try Self.strings("subject_types_supported", in: json)
        idTokenSigningAlgValuesSupported = try Self.strings("id_token_signing_alg_values_supported", in: json)
        tokenEndpointAuthMethodsSupported = try Self.strings("token_endpoint_auth_methods_supported", in: json)
        tokenEndpointAuthSigningAlgValuesSupported = try Self.strings(
            "token_endpoint_auth_signing_alg_values_supported", in: json)
        codeChallengeMethodsSupported = try Self.strings("code_challenge_methods_supported", in: json)
        claimsSupported = try Self.strings("claims_supported", in: json)
    }

    /// Parses a metadata document with the strict, bounded ``JSONReader``.
    public init(parsing bytes: [UInt8], limits: JSONLimits = .default) throws(PortcullisError) {
        try self.init(json: try JSONReader.parseObject(bytes, limits: limits))
    }

    /// Any member, by name.
    public subscript(member: String) -> JSONValue? { json[member] }

    private static func string(_ name: String, in json: JSONObject) throws(PortcullisError) -> String? {
        guard let value = json[name], !value.isNull else { return nil }
        guard let string = value.stringValue else {
            throw PortcullisError(
                .malformed, "metadata member \"\(name)\" must be a string, not \(value.typeName)", claim: name)
        }
        return string
    }

    private static func strings(_ name: String, in json: JSONObject) throws(PortcullisError) -> [String]? {
        guard let value = json[name], !value.isNull else { return nil }
        guard let array = value.arrayValue else {
            throw PortcullisError(
                .malformed, "metadata member \"\(name)\" must be an array of strings, not \(value.typeName)", claim: name)
        }
        var result: [String] = []
        for element in array {
            guard let string = element.stringValue else {
                throw PortcullisError(
                    .malformed, "metadata member \"\(name)\" must contain only strings, found \(element.typeName)", claim: name)
            }
            result.append(string)
        }
        return result
    }
}
