import Foundation
import Portcullis
import PortcullisHummingbird

/// The portal's browser sign-in (Docs/SignIn.md): `OIDCSignIn` from the configuration, with the
/// portal's own pages. Present only with an external OpenID provider.
enum PortalSignIn {
    /// Builds the sign-in for `provider`: `redirect_uri` `<public URL>/callback`, `private_key_jwt`
    /// with a client key, else `client_secret_basic` with a client secret; sessions refreshed (roles
    /// re-read) by the relying party; back to `/models` after sign-in.
    /// - Throws: `invalid_key` for unusable session keys; `invalid_request` for an unusable
    ///   session directory.
    static func make(
        provider: OIDCProvider, configuration: ModelPortalConfiguration, clock: @escaping @Sendable () -> Double
    ) throws(PortcullisError) -> OIDCSignIn {
        let keys = try configuration.sessionKeys.isEmpty ? [SessionKey.generate(id: "k1")] : configuration.sessionKeys
        let session = SessionConfiguration(
            idleTimeout: configuration.sessionIdleTimeout, absoluteTimeout: configuration.sessionAbsoluteTimeout,
            secure: SessionConfiguration.secureFlag(forPublicURL: configuration.publicURL),
            claimsMaximumAge: configuration.claimsMaximumAge)
        let authentication: RelyingPartyConfiguration.ClientAuthentication =
            if let assertion = configuration.clientAssertion { .privateKeyJWT(assertion) }
            else if let secret = configuration.clientSecret { .clientSecretBasic(secret) }
            else { .none }
        var store: any SessionStore = InMemorySessionStore()
        if let directory = configuration.sessionDirectory {
            store = try FileSessionStore(directory: URL(fileURLWithPath: directory), maximumAge: configuration.sessionAbsoluteTimeout + 60)
        }
        var signIn = try OIDCSignIn(
            provider: provider, clientID: configuration.clientID, clientAuthentication: authentication,
            publicURL: configuration.publicURL, sessionKeys: keys, session: session, sessionStore: store, clock: clock)
        signIn.afterLogin = "/models"
        signIn.pages = PortalSignInPages()
        return signIn
    }
}

/// The sign-in library's pages (refused sign-in, refused form, sign-out form) in the portal's layout.
struct PortalSignInPages: SignInPageRenderer {
    func html(for page: SignInPage) -> String {
        let message = "<p>\(SignInHTML.escape(page.message))</p>"
        let body = switch page.kind {
        case .signInRefused:
            """
            \(message)
            <p>Reason code: <code>\(SignInHTML.escape(page.reason?.rawValue ?? "-"))</code></p>
            <p><a href="\(SignInHTML.escape(page.loginPath))">Start a new sign-in</a></p>
            """
        case .signOut:
            SignInHTML.csrfForm(action: page.formAction ?? "/logout", csrfToken: page.csrfToken ?? "", button: "Sign out")
        case .signInRequired:
            message + #"<p><a href="\#(SignInHTML.escape(page.loginPath))">Sign in</a></p>"#
        case .formRefused:
            message + #"<p><a href="/models">Models</a></p>"#
        case .signInUnavailable:
            message
        }
        return PortalHTML.document(page.title, body)
    }
}
