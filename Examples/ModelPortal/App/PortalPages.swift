import Foundation
import Hummingbird
import Portcullis

/// The sign-in pages: `/`, `/login`, `/callback`, `/logout` (Docs/SignIn.md).
struct PortalPages: Sendable {
    typealias Context = ModelPortal.Context
    let portal: ModelPortal
    let signIn: PortalSignIn?

    func register(on router: Router<Context>) {
        router.get("/") { request, _ in await home(request) }
        router.get("login") { request, _ in await login(request) }
        router.get("callback") { request, _ in await callback(request) }
        router.get("logout") { request, _ in await logoutPage(request) }
        router.post("logout") { request, context in try await logout(request, context) }
        PortalModelPages(portal: portal, signIn: signIn).register(on: router)
    }

    /// The session of the request's cookie, if live.
    static func session(_ request: Request, _ signIn: PortalSignIn?) async -> Session? {
        guard let signIn else { return nil }
        for value in CookieHeader.values(named: signIn.sessions.configuration.cookieName, in: request.headers[values: .cookie]) {
            if let session = await signIn.sessions.resume(value) { return session }
        }
        return nil
    }

    static var unavailable: Response {
        PortalHTML.page(
            "Sign-in unavailable",
            "<p>The browser sign-in needs an OpenID provider: start the portal with <code>--issuer</code> and <code>--client-id</code>.</p>",
            status: .notFound)
    }

    private func home(_ request: Request) async -> Response {
        guard signIn != nil else {
            return PortalHTML.page("Model portal", """
                <p>The browser sign-in needs an OpenID provider: start the portal with <code>--issuer</code> and <code>--client-id</code>.</p>
                <p>The JSON API is under <code>/api/</code>.</p>
                """)
        }
        guard let session = await Self.session(request, signIn) else {
            return PortalHTML.page("Model portal", #"<p>You are not signed in.</p><p><a href="/login">Sign in</a></p>"#)
        }
        let roles = portal.permissions.roleNames(in: session.token)
        return PortalHTML.page("Model portal", """
            <p>Signed in as <strong>\(PortalHTML.escape(session.subject))</strong>; roles: \(PortalHTML.escape(roles.isEmpty ? "none" : roles.joined(separator: ", "))).</p>
            <p><a href="/models">Models</a></p>
            \(PortalHTML.form(action: "/logout", csrf: session.csrfToken, button: "Sign out"))
            """)
    }

    /// `GET /login`: a new pending login bound to this browser, then the provider.
    private func login(_ request: Request) async -> Response {
        guard let signIn else { return Self.unavailable }
        do {
            let (url, pending) = try await signIn.relyingParty.startLogin(returnTo: "/models")
            let binding = try await signIn.pendingLogins.insert(pending)
            let lifetime = Int(signIn.relyingParty.configuration.pendingLoginLifetime)
            return PortalHTML.redirect(url, headers: [.setCookie: signIn.loginCookie(binding, maxAge: lifetime)])
        } catch {
            return PortalHTML.page(
                "Sign-in unavailable", "<p>The identity provider cannot be reached: \(PortalHTML.escape(error.message))</p>",
                status: .badGateway)
        }
    }

    /// `GET /callback`: the pending login of this browser (taken: single use), then the flow's
    /// checks; any refusal is a 4xx page saying why, and never starts a new sign-in by itself.
    private func callback(_ request: Request) async -> Response {
        guard let signIn else { return Self.unavailable }
        let clear: HTTPFields = [.setCookie: signIn.loginCookie("", maxAge: 0)]
        var pending: PendingLogin?
        for binding in CookieHeader.values(named: PortalSignIn.loginCookie, in: request.headers[values: .cookie]) where pending == nil {
            pending = await signIn.pendingLogins.take(binding: binding)
        }
        let items = URLComponents(string: request.uri.description)?.queryItems ?? []
        do {
            let result = try await signIn.relyingParty.finishLogin(
                callback: items.map { (name: $0.name, value: $0.value ?? "") }, pending: pending)
            let previous = CookieHeader.values(named: signIn.sessions.configuration.cookieName, in: request.headers[values: .cookie]).first
            let (_, setCookie) = try await signIn.sessions.begin(result, replacing: previous)
            let headers: HTTPFields = [.setCookie: signIn.loginCookie("", maxAge: 0), .setCookie: setCookie]
            return PortalHTML.redirect(result.returnTo, headers: headers)
        } catch {
            let status: HTTPResponse.Status = switch error.code {
            case .fetchFailed: .badGateway
            case .accessDenied: .forbidden
            default: .badRequest
            }
            return PortalHTML.page("Sign-in refused", """
                <p>The sign-in was refused: \(PortalHTML.escape(error.message))</p>
                <p>Reason code: <code>\(PortalHTML.escape(error.code.rawValue))</code></p>
                <p><a href="/login">Start a new sign-in</a></p>
                """, status: status, headers: clear)
        }
    }

    private func logoutPage(_ request: Request) async -> Response {
        guard let session = await Self.session(request, signIn) else { return PortalHTML.redirect("/") }
        return PortalHTML.page("Sign out", PortalHTML.form(action: "/logout", csrf: session.csrfToken, button: "Sign out"))
    }

    /// `POST /logout` (CSRF-checked): revokes the session on the server, clears the cookie, and
    /// continues at the provider's `end_session_endpoint` when it has one.
    private func logout(_ request: Request, _ context: Context) async throws -> Response {
        guard let signIn else { return Self.unavailable }
        guard let session = await Self.session(request, signIn) else { return PortalHTML.redirect("/") }
        let form = try await PortalForm(request, context)
        guard form.hasCSRFToken(session.csrfToken) else { return PortalForm.csrfRefusal }
        for value in CookieHeader.values(named: signIn.sessions.configuration.cookieName, in: request.headers[values: .cookie]) {
            await signIn.sessions.end(value)
        }
        let next = await signIn.relyingParty.endSessionURL(
            idTokenHint: session.rawIDToken, postLogoutRedirectURI: signIn.publicURL + "/") ?? "/"
        return PortalHTML.redirect(next, headers: [.setCookie: signIn.sessions.clearCookie])
    }
}
