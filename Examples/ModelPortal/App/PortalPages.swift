import Hummingbird
import Portcullis
import PortcullisHummingbird

/// The pages: `/`, the sign-in routes of `OIDCSignIn` (`/login`, `/callback`, `/logout`), and
/// `/models` (Docs/SignIn.md). Without an OpenID provider they explain that one is needed.
struct PortalPages: Sendable {
    typealias Context = ModelPortal.Context
    let portal: ModelPortal

    func register(on router: Router<Context>) {
        guard let signIn = portal.signIn else {
            router.get("/") { _, _ in
                PortalHTML.page("Model portal", """
                    \(Self.needsProvider)
                    <p>The JSON API is under <code>/api/</code>.</p>
                    """)
            }
            let unavailable = PortalHTML.page("Sign-in unavailable", Self.needsProvider, status: .notFound)
            for path in ["login", "callback", "logout", "models"] {
                router.get(RouterPath(path)) { _, _ in unavailable }
            }
            router.post("logout") { _, _ in unavailable }
            return
        }
        signIn.addRoutes(to: router)
        router.group().add(middleware: SessionMiddleware(signIn)).get("/") { _, context in await home(context, signIn) }
        PortalModelPages(portal: portal, signIn: signIn).register(on: router)
    }

    private static let needsProvider =
        "<p>The browser sign-in needs an OpenID provider: start the portal with <code>--issuer</code> and <code>--client-id</code>.</p>"

    private func home(_ context: Context, _ signIn: OIDCSignIn) async -> Response {
        guard let session = context.portcullis.session else {
            return PortalHTML.page("Model portal", #"<p>You are not signed in.</p><p><a href="/login">Sign in</a></p>"#)
        }
        return PortalHTML.page("Model portal", """
            \(PortalModelPages.signedIn(session, portal.permissions))
            <p><a href="/models">Models</a></p>
            \(SignInHTML.csrfForm(action: signIn.paths.logout, csrfToken: session.csrfToken, button: "Sign out"))
            """, formTargets: await signIn.formTargets())
    }
}
