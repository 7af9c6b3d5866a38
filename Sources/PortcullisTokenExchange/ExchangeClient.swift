public import PortcullisJOSE
public import PortcullisJWT

/// A registered partner application: how it authenticates and what it may obtain.
public struct ExchangeClient: Sendable {
    /// How the client proves its identity at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2).
    public enum Credential: Sendable {
        /// A shared secret, for `client_secret_basic` and `client_secret_post`.
        case secret(String)
        /// Public keys for `private_key_jwt` client assertions (RFC 7523).
        case publicKeys(KeySet)
    }

    /// `client_id`.
    public let id: String
    /// The credential.
    public let credential: Credential
    /// The one tenant this client acts for; every issued token carries it as `tenant`.
    public let tenant: String
    /// The most the client may obtain; a request for anything else is `invalid_scope`.
    public let allowedScopes: [String]
    /// Issuers whose tokens the client may exchange; empty means every trusted issuer.
    public let allowedIssuers: [String]
    /// Whether the client may use the token-exchange grant at all (else `unauthorized_client`).
    public let mayExchange: Bool

    /// Registers a client.
    /// - Throws: `malformed` for an empty id, or a tenant that is not an identifier
    ///   (1–128 of `A-Z a-z 0-9 . _ -`).
    public init(
        id: String, credential: Credential, tenant: String, allowedScopes: [String],
        allowedIssuers: [String] = [], mayExchange: Bool = true
    ) throws(PortcullisError) {
        guard !id.isEmpty else {
            throw PortcullisError(.malformed, "a client id must not be empty")
        }
        guard Self.isIdentifier(tenant) else {
            throw PortcullisError(.malformed, "tenant \"\(tenant)\" must be 1 to 128 of A-Z a-z 0-9 . _ -", claim: "tenant")
        }
        self.id = id
        self.credential = credential
        self.tenant = tenant
        self.allowedScopes = allowedScopes
        self.allowedIssuers = allowedIssuers
        self.mayExchange = mayExchange
    }

    /// Whether `text` is a tenant identifier.
    static func isIdentifier(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
        }
    }
}

/// How a client authenticated, for the audit log and error responses.
public enum ClientAuthenticationMethod: String, Sendable, Hashable, CaseIterable {
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1).
    case clientSecretBasic = "client_secret_basic"
    /// `client_id` and `client_secret` in the form (RFC 6749 §2.3.1).
    case clientSecretPost = "client_secret_post"
    /// A JWT signed with the client's private key (RFC 7523 §2.2, OpenID Connect Core §9).
    case privateKeyJWT = "private_key_jwt"
}
