#if Hummingbird
public import Hummingbird
public import Portcullis

/// Browser sign-in with OpenID Connect for a Hummingbird 2 server: the framework-neutral
/// ``RelyingParty``, ``PendingLoginStore`` and ``SessionManager`` of `PortcullisOIDC`, wired to
/// routes, a session middleware and CSRF protection.
///
/// ```swift
/// let signIn = try OIDCSignIn(
///     provider: provider, clientID: "portal", clientAuthentication: .clientSecretBasic(secret),
///     publicURL: "https://portal.example.com", sessionKeys: [key])
/// let router = Router(context: PortcullisRequestContext.self)
/// signIn.addRoutes(to: router)                      // GET /login, GET /callback, GET+POST /logout
/// router.group("reports")
///     .add(middleware: SessionMiddleware(signIn, authorizer: authorizer, requireSignIn: true))
///     .add(middleware: CSRFMiddleware(signIn))      // every POST needs the session's CSRF token
///     .get { _, context in "Hello, \(try context.session().subject)" }
/// ```
///
/// - ``addRoutes(to:)``: the login, callback and logout routes (see there).
/// - ``SessionMiddleware``: the signed-in session in ``PortcullisState/session``; optionally
///   requires one; optionally lets `context.authorize(_:request:)` check route requirements
///   against the session's ID token, as for a bearer token.
/// - ``CSRFMiddleware``: state-changing form posts must carry the session's CSRF token and come
///   from this origin.
///
/// Refusals are HTML pages from ``pages`` with a status and a reason code, never a stack trace.
public struct OIDCSignIn: Sendable {
    /// The paths of the sign-in routes: absolute paths on this server (`/` and segments of
    /// `A–Z a–z 0–9 - . _ ~`).
    public struct Paths: Sendable, Hashable {
        /// Starts a sign-in (`GET`). Default `/login`.
        public var login: String
        /// The `redirect_uri`'s path, where the provider sends the browser back (`GET`). Default `/callback`.
        public var callback: String
        /// Signs out: `GET` shows a confirmation form, `POST` signs out. Default `/logout`.
        public var logout: String
        /// The `backchannel_logout_uri`'s path, where the provider POSTs Logout Tokens (OpenID
        /// Connect Back-Channel Logout 1.0 §2.5). Default `/backchannel-logout`.
        public var backchannelLogout: String

        /// Creates the paths.
        public init(
            login: String = "/login", callback: String = "/callback", logout: String = "/logout",
            backchannelLogout: String = "/backchannel-logout"
        ) {
            self.login = login
            self.callback = callback
            self.logout = logout
            self.backchannelLogout = backchannelLogout
        }

        var all: [String] { [login, callback, logout, backchannelLogout] }
    }

    /// The relying party (its `redirectURI` is ``publicURL`` + ``Paths/callback``).
    public let relyingParty: RelyingParty
    /// Started sign-ins awaiting their callback, single use.
    public let pendingLogins: PendingLoginStore
    /// The sessions and their cookie.
    public let sessions: SessionManager
    /// The server's public base URL as browsers see it: `http(s)://host[:port]`, no trailing `/`.
    public let publicURL: String
    /// The paths of the sign-in routes.
    public let paths: Paths
    /// Where a sign-in goes when the login request names no acceptable `return_to`: a local path
    /// (default `/`; anything else is replaced by `/`).
    public var afterLogin: String = "/"
    /// Where the browser goes after logout: the `post_logout_redirect_uri` sent to the provider
    /// (it must be registered there), and the redirect when the provider has no
    /// `end_session_endpoint`. Default ``publicURL`` + `/`.
    public var afterLogout: String
    /// The authentication request options of every sign-in (`prompt`, `max_age`, `acr_values`).
    public var loginOptions = AuthorizationOptions()
    /// Renders the refusal and sign-out pages (``DefaultSignInPages`` by default).
    public var pages: any SignInPageRenderer = DefaultSignInPages()
    /// The largest form body ``CSRFMiddleware`` and the logout route read, in bytes (default
    /// 16 KiB); a larger one is refused with `413`.
    public var maximumFormSize = 16_384
    /// The name of the cookie that binds a pending login to the browser that started it (default
    /// `portcullis_login`; `Path` is the callback path).
    public var loginCookieName = "portcullis_login"
    /// The serialized origin of ``publicURL`` (RFC 6454 §6.1), which `Origin` headers must equal.
    public let publicOrigin: String

    /// Sign-in from its parts.
    /// - Parameters:
    ///   - pendingLogins: By default a store whose entries live as long as the relying party's
    ///     ``RelyingPartyConfiguration/pendingLoginLifetime``.
    /// - Throws: `malformed` when `publicURL` is not `http(s)://host[:port]`, a path is not a plain
    ///   absolute path or two are equal, the relying party's `redirectURI` is not
    ///   `publicURL + paths.callback`, or the session codec's cookie name is not the session
    ///   configuration's.
    public init(
        relyingParty: RelyingParty, sessions: SessionManager, publicURL: String, paths: Paths = Paths(),
        pendingLogins: PendingLoginStore? = nil
    ) throws(PortcullisError) {
        var base = publicURL
        if base.hasSuffix("/") { base.removeLast() }
        guard let origin = Self.origin(of: base), origin.rest.isEmpty else {
            throw PortcullisError(.malformed, "the public URL must be http(s)://host[:port] without path, query or fragment")
        }
        for path in paths.all where !Self.isPlainPath(path) {
            throw PortcullisError(.malformed, "the sign-in path \"\(path)\" is not an absolute path of A-Z a-z 0-9 - . _ ~ segments")
        }
        guard Set(paths.all).count == paths.all.count else {
            throw PortcullisError(.malformed, "the login, callback, logout and back-channel logout paths must differ")
        }
        guard relyingParty.configuration.redirectURI == base + paths.callback else {
            throw PortcullisError(
                .malformed, "the redirect_uri \"\(relyingParty.configuration.redirectURI)\" is not the callback route \"\(base + paths.callback)\"",
                claim: "redirect_uri", expected: base + paths.callback, actual: relyingParty.configuration.redirectURI)
        }
        guard sessions.codec.cookieName == sessions.configuration.cookieName else {
            throw PortcullisError(.malformed, "the session codec's cookie name is not the session cookie's name")
        }
        self.relyingParty = relyingParty
        self.sessions = sessions
        self.publicURL = base
        self.publicOrigin = origin.origin
        self.paths = paths
        self.pendingLogins = pendingLogins ?? PendingLoginStore(lifetime: relyingParty.configuration.pendingLoginLifetime)
        self.afterLogout = base + "/"
    }

    /// Sign-in for a client of `provider` in a few lines: the relying party (authorization code
    /// flow with PKCE, `redirect_uri` = `publicURL` + the callback path), pending logins, and
    /// sessions sealed with `sessionKeys` (the first seals; the others still open cookies sealed
    /// before a rotation) whose tokens and claims the relying party refreshes (roles re-read at
    /// each refresh; ``SessionConfiguration/claimsMaximumAge`` bounds their age).
    /// - Parameters:
    ///   - session: The cookie and timeouts; by default the defaults of ``SessionConfiguration``
    ///     with `Secure` unless `publicURL` is `http` on a loopback host.
    ///   - sessionStore: Where sessions live (``InMemorySessionStore`` by default;
    ///     ``FileSessionStore`` to survive restarts).
    ///   - fetchesUserInfo: Authorize with the userinfo claims from sign-in on
    ///     (``RelyingPartyConfiguration/fetchesUserInfo``).
    ///   - clock: Seconds since 1970, for pending logins and sessions (tests inject one).
    /// - Throws: `invalid_key` without a session key or for keys sharing an id; what
    ///   ``init(relyingParty:sessions:publicURL:paths:pendingLogins:)`` throws.
    public init(
        provider: OIDCProvider, clientID: String, clientAuthentication: RelyingPartyConfiguration.ClientAuthentication,
        publicURL: String, sessionKeys: [SessionKey], scopes: [String] = ["openid", "profile"], paths: Paths = Paths(),
        session: SessionConfiguration? = nil, sessionStore: any SessionStore = InMemorySessionStore(),
        fetchesUserInfo: Bool = false, clock: @escaping @Sendable () -> Double = { NumericDate.now.secondsSince1970 }
    ) throws(PortcullisError) {
        guard let current = sessionKeys.first else {
            throw PortcullisError(.invalidKey, "sign-in needs at least one session key")
        }
        var base = publicURL
        if base.hasSuffix("/") { base.removeLast() }
        var configuration = RelyingPartyConfiguration(
            clientID: clientID, clientAuthentication: clientAuthentication, redirectURI: base + paths.callback, scopes: scopes)
        configuration.allowsLoopbackHTTP = provider.configuration.allowsLoopbackHTTP
        configuration.fetchesUserInfo = fetchesUserInfo
        let session = session ?? SessionConfiguration(secure: SessionConfiguration.secureFlag(forPublicURL: base))
        let codec = try SessionCookieCodec(cookieName: session.cookieName, current: current, previous: Array(sessionKeys.dropFirst()))
        let relyingParty = RelyingParty(provider: provider, configuration: configuration, clock: clock)
        try self.init(
            relyingParty: relyingParty,
            sessions: SessionManager(configuration: session, codec: codec, store: sessionStore, relyingParty: relyingParty, clock: clock),
            publicURL: base, paths: paths,
            pendingLogins: PendingLoginStore(lifetime: configuration.pendingLoginLifetime, clock: clock))
    }

    /// The live session of the request's session cookie: the first live one when the browser
    /// sends several cookies of that name (at most 8 are tried), or `nil`.
    public func session(for request: Request) async -> Session? {
        let values = CookieHeader.values(named: sessions.configuration.cookieName, in: request.headers[values: .cookie])
        for value in values.prefix(8) {
            if let session = await sessions.resume(value) { return session }
        }
        return nil
    }

    /// The origins, besides this one, that a sign-out form's post may be redirected to: the
    /// provider's `end_session_endpoint` and ``afterLogout``. Put them in the
    /// `Content-Security-Policy` `form-action` of pages with a sign-out form
    /// (``SignInHTML/response(_:status:formTargets:headers:)``): browsers apply `form-action` to
    /// the redirects that follow a form post (CSP Level 3 §6.3.1).
    public func formTargets() async -> [String] {
        var targets: [String] = []
        if let metadata = try? await relyingParty.provider.metadata(), let endpoint = metadata.endSessionEndpoint,
           let origin = Self.origin(of: endpoint)?.origin {
            targets.append(origin)
        }
        if let origin = Self.origin(of: afterLogout)?.origin, origin != publicOrigin, !targets.contains(origin) {
            targets.append(origin)
        }
        return targets
    }

    /// `Set-Cookie` for the pending-login binding: `HttpOnly`, `SameSite=Lax` (sent on the
    /// provider's top-level redirect back, RFC 6265bis §5.4.7), `Secure` as the session cookie,
    /// `Path` the callback path only, `Max-Age` the pending login's lifetime.
    func loginCookie(_ value: String, maxAge: Int) -> String {
        "\(loginCookieName)=\(value); Path=\(paths.callback); Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(sessions.configuration.secure ? "; Secure" : "")"
    }

    /// `page` rendered by ``pages`` with the HTML security headers.
    func response(_ page: SignInPage, headers: HTTPFields = [:], formTargets: [String] = []) -> Response {
        SignInHTML.response(pages.html(for: page), status: page.status, formTargets: formTargets, headers: headers)
    }

    /// ``afterLogin`` when it is a local path, else `/`.
    var safeAfterLogin: String { LocalPath.isSafe(afterLogin) ? afterLogin : "/" }

    /// The serialized origin of an `http(s)` URL (scheme and host lower-cased, the default port
    /// left out: RFC 6454 §4, §6.1) and the rest of the URL after the authority; `nil` for other
    /// URLs, user information, or a host that is not letters, digits, `.`, `-`, `:` and `[]`.
    static func origin(of url: String) -> (origin: String, rest: Substring)? {
        let lower = url.lowercased()
        let scheme = lower.hasPrefix("https://") ? "https" : lower.hasPrefix("http://") ? "http" : ""
        guard !scheme.isEmpty else { return nil }
        let afterScheme = url.dropFirst(scheme.count + 3)
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, authority.unicodeScalars.allSatisfy({
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)
        }) else { return nil }
        var host = authority.lowercased()
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if host.hasSuffix(defaultPort) { host.removeLast(defaultPort.count) }
        return (scheme + "://" + host, afterScheme[authority.endIndex...])
    }

    /// `/segment/segment…` with segments of `A–Z a–z 0–9 - . _ ~` (no route parameter, wildcard,
    /// query or fragment).
    static func isPlainPath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.count > 1 else { return false }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && segment.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-._~".unicodeScalars.contains($0)
            }
        }
    }
}
#endif
