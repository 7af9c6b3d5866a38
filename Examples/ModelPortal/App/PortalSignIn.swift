import Foundation
public import Portcullis

/// The browser sign-in of the portal: the relying party, its pending logins, and the sessions
/// (see Docs/SignIn.md). Present only with an external OpenID provider.
public struct PortalSignIn: Sendable {
    /// The cookie that binds a pending login to the browser that started it.
    static let loginCookie = "portcullis_login"
    /// The relying party.
    public let relyingParty: RelyingParty
    /// Started sign-ins awaiting their callback.
    public let pendingLogins: PendingLoginStore
    /// The sessions.
    public let sessions: SessionManager
    let publicURL: String

    /// Builds the sign-in for `provider` from `configuration`.
    /// - Throws: `invalid_key` for unusable session keys.
    init(provider: OIDCProvider, configuration: ModelPortalConfiguration, clock: @escaping @Sendable () -> Double) throws(PortcullisError) {
        publicURL = configuration.publicURL
        let authentication: RelyingPartyConfiguration.ClientAuthentication =
            configuration.clientSecret.map { .clientSecretBasic($0) } ?? .none
        var rp = RelyingPartyConfiguration(
            clientID: configuration.clientID, clientAuthentication: authentication,
            redirectURI: configuration.publicURL + "/callback", scopes: ["openid", "profile"])
        rp.allowsLoopbackHTTP = provider.configuration.allowsLoopbackHTTP
        relyingParty = RelyingParty(provider: provider, configuration: rp, clock: clock)
        pendingLogins = PendingLoginStore(lifetime: rp.pendingLoginLifetime, clock: clock)
        let keys = try configuration.sessionKeys.isEmpty ? [SessionKey.generate(id: "k1")] : configuration.sessionKeys
        let codec = try SessionCookieCodec(cookieName: "portcullis_session", current: keys[0], previous: Array(keys.dropFirst()))
        let session = SessionConfiguration(
            idleTimeout: configuration.sessionIdleTimeout, absoluteTimeout: configuration.sessionAbsoluteTimeout,
            secure: SessionConfiguration.secureFlag(forPublicURL: configuration.publicURL))
        sessions = SessionManager(configuration: session, codec: codec, clock: clock)
    }

    /// `Set-Cookie` for the pending-login binding: ten minutes, the callback path only.
    func loginCookie(_ value: String, maxAge: Int) -> String {
        "\(Self.loginCookie)=\(value); Path=/callback; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(sessions.configuration.secure ? "; Secure" : "")"
    }
}
