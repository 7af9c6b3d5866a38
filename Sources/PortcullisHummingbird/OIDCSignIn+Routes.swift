#if Hummingbird
public import Hummingbird
import Portcullis
import PortcullisTokenExchange

extension OIDCSignIn {
    /// Registers the sign-in routes at their absolute ``paths`` (so `router` is a ``Router`` or a
    /// group without a path prefix, e.g. `router.group().add(middleware: …)`):
    ///
    /// - `GET login` — starts a sign-in (fresh `state`, `nonce`, PKCE verifier, kept on the
    ///   server) and redirects (`303`) to the provider. The pending login is bound to this browser
    ///   by a short-lived `HttpOnly; SameSite=Lax` cookie limited to the callback path. An optional
    ///   `return_to` query parameter says where to go afterwards; it is used only when it is a
    ///   local path (one leading `/`, not `//` or `/\`, no scheme, visible ASCII only), otherwise
    ///   ``afterLogin`` is: no open redirect (OWASP Unvalidated Redirects and Forwards). If the
    ///   provider's metadata cannot be fetched: a `502` page.
    /// - `GET callback` — takes this browser's pending login (single use, whatever follows) and
    ///   finishes the sign-in with every check of ``RelyingParty/finishLogin(callback:pending:)``
    ///   (`state` bound to the browser: RFC 6749 §10.12). Success: a new session (a new id, the
    ///   previous session revoked: no fixation), its cookie, and `303` to the `return_to`. A
    ///   refusal is a page with the reason code — `502` for `fetch_failed`, `403` for
    ///   `access_denied`, `400` otherwise — and never starts a new sign-in by itself.
    /// - `GET logout` — a confirmation page whose form posts the CSRF token; it never signs out
    ///   (a `GET` must be safe, RFC 9110 §9.2.1: a link or an image must not end the session).
    ///   Without a session: `303` to ``afterLogout``.
    /// - `POST logout` — checked like every ``CSRFMiddleware`` form (`Origin`, size, CSRF token);
    ///   revokes the session on the server, deletes the cookie, and continues at the provider's
    ///   `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0 §2) when it has one, else
    ///   at ``afterLogout``.
    /// - `POST backchannelLogout` — the provider's Logout Token (OpenID Connect Back-Channel Logout
    ///   1.0): a form with one `logout_token` (at most 16 KiB), validated by
    ///   ``RelyingParty/validateLogoutToken(_:)``, then ``SessionManager/end(_:)`` ends the sessions
    ///   it names. `200` (also when none was live: logout is idempotent); `400` with a JSON
    ///   `error`/`error_description` for anything invalid (§2.8); `503` when the provider's keys
    ///   cannot be fetched (the provider may retry); `501` when the session store cannot find
    ///   sessions by user. Always `Cache-Control: no-store`. Not CSRF-checked: it is called by the
    ///   provider, not a browser, and carries its own signed proof.
    public func addRoutes<Context: RequestContext>(to router: some RouterMethods<Context>) {
        router.get(RouterPath(paths.login)) { request, _ in await login(request) }
        router.get(RouterPath(paths.callback)) { request, _ in await callback(request) }
        router.get(RouterPath(paths.logout)) { request, _ in await logoutConfirmation(request) }
        router.post(RouterPath(paths.logout)) { request, _ in await logout(request) }
        router.post(RouterPath(paths.backchannelLogout)) { request, _ in await backchannelLogout(request) }
    }

    /// `POST backchannelLogout`.
    func backchannelLogout(_ request: Request) async -> Response {
        func answer(_ status: HTTPResponse.Status, _ error: String? = nil, _ description: String = "") -> Response {
            var headers: HTTPFields = [.cacheControl: "no-store"]
            guard let error else { return Response(status: status, headers: headers) }
            headers[.contentType] = "application/json"
            let body = JSONValue.object(["error": .string(error), "error_description": .string(description)]).serializedBytes()
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        guard sessions.store is any SearchableSessionStore else {
            return answer(.notImplemented, "server_error", "this server's session store cannot end sessions by user")
        }
        guard request.isURLEncodedForm else {
            return answer(.badRequest, "invalid_request", "the Logout Token must be posted as application/x-www-form-urlencoded")
        }
        var request = request
        guard let body = try? await request.collectBody(upTo: 16_384),
              let form = try? FormBody(body.readableBytesView)
        else { return answer(.badRequest, "invalid_request", "the request body is not a form of at most 16384 bytes") }
        let tokens = form.values("logout_token")
        guard tokens.count == 1 else { return answer(.badRequest, "invalid_request", "the form must have exactly one logout_token") }
        do {
            try await sessions.end(try await relyingParty.validateLogoutToken(tokens[0]))
            return answer(.ok)
        } catch where error.code == .fetchFailed {
            return answer(.serviceUnavailable, "temporarily_unavailable", error.message)
        } catch {
            return answer(.badRequest, "invalid_request", error.message)
        }
    }

    /// `GET login`.
    func login(_ request: Request) async -> Response {
        let requested = (try? FormBody(Array((request.uri.query ?? "").utf8)))?.values("return_to") ?? []
        let returnTo = requested.count == 1 && LocalPath.isSafe(requested[0]) ? requested[0] : safeAfterLogin
        do {
            let (url, pending) = try await relyingParty.startLogin(options: loginOptions, returnTo: returnTo)
            let binding = try await pendingLogins.insert(pending)
            let lifetime = Int(relyingParty.configuration.pendingLoginLifetime)
            return SignInHTML.redirect(url, headers: [.setCookie: loginCookie(binding, maxAge: lifetime)])
        } catch {
            return response(SignInPage(
                kind: .signInUnavailable, status: .badGateway, title: "Sign-in unavailable",
                message: "The identity provider cannot be reached: \(error.message)", reason: error.code, loginPath: paths.login))
        }
    }

    /// `GET callback`.
    func callback(_ request: Request) async -> Response {
        let cookies = request.headers[values: .cookie]
        let clear: HTTPFields = [.setCookie: loginCookie("", maxAge: 0)]
        var pending: PendingLogin?
        for binding in CookieHeader.values(named: loginCookieName, in: cookies).prefix(8) where pending == nil {
            pending = await pendingLogins.take(binding: binding)
        }
        do {
            // The query is form-encoded (RFC 6749 Appendix B); badly encoded is invalid_request.
            let query = try FormBody(Array((request.uri.query ?? "").utf8))
            let result = try await relyingParty.finishLogin(
                callback: query.fields.map { (name: $0.name, value: $0.value) }, pending: pending)
            let previous = CookieHeader.values(named: sessions.configuration.cookieName, in: cookies).prefix(8)
            let (_, setCookie) = try await sessions.begin(result, replacing: previous.first)
            for other in previous.dropFirst() { await sessions.end(other) }
            let target = LocalPath.isSafe(result.returnTo) ? result.returnTo : safeAfterLogin
            return SignInHTML.redirect(target, headers: clear + [.setCookie: setCookie])
        } catch {
            let status: HTTPResponse.Status = switch error.code {
            case .fetchFailed: .badGateway
            case .accessDenied: .forbidden
            default: .badRequest
            }
            return response(SignInPage(
                kind: .signInRefused, status: status, title: "Sign-in refused", message: "The sign-in was refused: \(error.message)",
                reason: error.code, loginPath: paths.login), headers: clear)
        }
    }

    /// `GET logout`: the confirmation form.
    func logoutConfirmation(_ request: Request) async -> Response {
        guard let session = await session(for: request) else { return SignInHTML.redirect(afterLogout) }
        let page = SignInPage(
            kind: .signOut, status: .ok, title: "Sign out", message: "Sign out of this site?", formAction: paths.logout,
            csrfToken: session.csrfToken, loginPath: paths.login)
        return response(page, formTargets: await formTargets())
    }

    /// `POST logout`.
    func logout(_ request: Request) async -> Response {
        var request = request
        guard let session = await session(for: request) else {
            // Nobody to sign out (an expired session, a second click): nothing to protect.
            return SignInHTML.redirect(afterLogout, headers: [.setCookie: sessions.clearCookie])
        }
        if case .failure(let refusal) = await verifyForm(&request, session: session) { return refusal.response }
        for value in CookieHeader.values(named: sessions.configuration.cookieName, in: request.headers[values: .cookie]).prefix(8) {
            await sessions.end(value)
        }
        let next = await relyingParty.endSessionURL(idTokenHint: session.rawIDToken, postLogoutRedirectURI: afterLogout)
        return SignInHTML.redirect(next ?? afterLogout, headers: [.setCookie: sessions.clearCookie])
    }
}
#endif
