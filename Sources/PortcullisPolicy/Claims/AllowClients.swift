import PortcullisJOSE
import PortcullisJWT

/// Allows only the listed client applications: `client_id` (RFC 9068 §2.2, RFC 8693 §4.3), or
/// `azp` (OIDC Core §2, the authorized party) when `client_id` is absent. Compared exactly.
public struct AllowClients: Policy {
    /// The accepted client ids.
    public let clients: [String]
    /// `clients(<list>)`.
    public let name: String

    /// Accepts tokens issued to one of `clients` (an empty list accepts none).
    public init(_ clients: [String]) {
        self.clients = clients
        self.name = "clients(\(clients.joined(separator: " ")))"
    }

    /// The token's client: `client_id`, else `azp`, when a string.
    public static func client(of context: PolicyContext) -> (claim: String, value: String)? {
        if let id = context.token["client_id"] { return id.stringValue.map { ("client_id", $0) } }
        return context.token["azp"]?.stringValue.map { ("azp", $0) }
    }

    /// Checks `client_id` (or `azp`).
    public func evaluate(_ context: PolicyContext) -> PolicyDecision {
        let found = Self.client(of: context)
        if let found, clients.contains(found.value) { return .allow }
        return .deny(Denial(
            .accessDenied, policy: name,
            message: found == nil ? "the token names no client (client_id or azp)" : "this client may not use this route",
            claim: found?.claim ?? "client_id", expected: "one of " + clients.joined(separator: ", "),
            actual: found?.value ?? "(absent)"))
    }
}
