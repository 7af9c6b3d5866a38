import Hummingbird
import Portcullis
import PortcullisHummingbird

/// `/models`: the models and the forms the signed-in user's roles allow. The group requires a
/// session (`SessionMiddleware`: `GET` goes to `/login`, a post without one gets 401) and checks
/// every form post's CSRF token and origin (`CSRFMiddleware`); each action is then authorized
/// with the same requirements as the JSON API, on the session's ID token. A denied action answers
/// 403 with a page naming the role that would allow it.
struct PortalModelPages: Sendable {
    typealias Context = ModelPortal.Context
    let portal: ModelPortal
    let signIn: OIDCSignIn

    func register(on router: Router<Context>) {
        let pages = router.group("models")
            .add(middleware: SessionMiddleware(signIn, authorizer: portal.authorizer, requireSignIn: true))
            .add(middleware: CSRFMiddleware(signIn))
        pages.get { request, context in try await list(request, context) }
        pages.post { request, context in
            try await act(request, context, portal.permissions.write) { form, _ in
                guard let name = form["name"], RequestBody.isValidName(name) else {
                    return "a model name is 1 to 64 characters from A-Z a-z 0-9 . _ - starting with a letter or digit"
                }
                _ = try await portal.registry.create(name)
                return nil
            }
        }
        pages.post(":name/versions") { request, context in
            try await act(request, context, portal.permissions.write) { form, session in
                let note = form["note"] ?? ""
                guard note.count <= RequestBody.maximumNoteLength else { return "a note has at most 1000 characters" }
                _ = try await portal.registry.addVersion(to: try name(context), note: note, by: session.subject)
                return nil
            }
        }
        pages.post(":name/deploy") { request, context in
            try await act(request, context, portal.permissions.deploy) { _, _ in
                _ = try await portal.registry.deploy(try name(context), version: nil)
                return nil
            }
        }
        pages.post(":name/delete") { request, context in
            try await act(request, context, portal.permissions.delete) { _, _ in
                try await portal.registry.delete(try name(context))
                return nil
            }
        }
    }

    /// "Signed in as …; roles: …." for the pages.
    static func signedIn(_ session: Session, _ permissions: PortalPermissions) -> String {
        let roles = permissions.roleNames(in: session.token)
        return "<p>Signed in as <strong>\(SignInHTML.escape(session.subject))</strong>; roles: \(SignInHTML.escape(roles.isEmpty ? "none" : roles.joined(separator: ", "))).</p>"
    }

    private func name(_ context: Context) throws -> String {
        guard let name = context.parameters.get("name") else { throw ModelRegistry.Failure.unknownModel("") }
        return name
    }

    /// The session's refusal for `requirement`, or `nil` when the policy engine allows it.
    private func refusal(_ requirement: RouteRequirement, _ context: Context, _ request: Request) -> Refusal? {
        var context = context
        do {
            try context.authorize(requirement, request: request)
            return nil
        } catch {
            return error
        }
    }

    private func list(_ request: Request, _ context: Context) async throws -> Response {
        let session = try context.session()
        let permissions = portal.permissions
        if let refusal = refusal(permissions.read, context, request) { return denied(refusal) }
        let write = refusal(permissions.write, context, request) == nil
        let deploy = refusal(permissions.deploy, context, request) == nil
        let delete = refusal(permissions.delete, context, request) == nil
        let csrf = session.csrfToken
        var rows = ""
        for model in await portal.registry.list() {
            let name = SignInHTML.escape(model.name)
            var actions: [String] = []
            if write {
                actions.append(SignInHTML.csrfForm(
                    action: "/models/\(model.name)/versions", csrfToken: csrf, button: "Upload a version",
                    fields: #"<input name="note" placeholder="note" maxlength="1000">"#))
            }
            if deploy { actions.append(SignInHTML.csrfForm(action: "/models/\(model.name)/deploy", csrfToken: csrf, button: "Deploy the latest")) }
            if delete { actions.append(SignInHTML.csrfForm(action: "/models/\(model.name)/delete", csrfToken: csrf, button: "Delete")) }
            rows += "<tr><td class=\"model\">\(name)</td><td>\(model.versions.count)</td><td>\(model.deployed.map(String.init) ?? "—")</td><td>\(actions.joined())</td></tr>\n"
        }
        var notes: [String] = []
        if write {
            notes.append(SignInHTML.csrfForm(
                action: "/models", csrfToken: csrf, button: "Create a model", fields: #"<input name="name" placeholder="name" required>"#))
        } else {
            notes.append("<p class=\"denied\">Creating models and uploading versions needs the role Data Scientist or Admin.</p>")
        }
        if !deploy { notes.append("<p class=\"denied\">Deploying needs the role Admin.</p>") }
        if !delete { notes.append("<p class=\"denied\">Deleting needs the role Admin.</p>") }
        return PortalHTML.page("Models", """
            \(Self.signedIn(session, permissions))
            <table><thead><tr><th>model</th><th>versions</th><th>deployed</th><th>actions</th></tr></thead><tbody>
            \(rows)</tbody></table>
            \(notes.joined(separator: "\n"))
            \(SignInHTML.csrfForm(action: signIn.paths.logout, csrfToken: csrf, button: "Sign out"))
            """, formTargets: await signIn.formTargets())
    }

    /// A form post (session and CSRF token already checked by the middleware): permission (403
    /// naming the role), then `perform`, which returns a problem to show (400) or `nil` to go back
    /// to `/models`.
    private func act(
        _ request: Request, _ context: Context, _ requirement: RouteRequirement,
        _ perform: (VerifiedForm, Session) async throws -> String?
    ) async throws -> Response {
        let session = try context.session()
        let form = try context.verifiedForm()
        if let refusal = refusal(requirement, context, request) { return denied(refusal) }
        do {
            if let problem = try await perform(form, session) {
                return PortalHTML.page("Request refused", "<p>\(SignInHTML.escape(problem))</p><p><a href=\"/models\">Models</a></p>", status: .badRequest)
            }
        } catch let failure as ModelRegistry.Failure {
            return PortalHTML.page(
                "Request refused", "<p>\(SignInHTML.escape(failure.message))</p><p><a href=\"/models\">Models</a></p>", status: failure.status)
        }
        return SignInHTML.redirect("/models")
    }

    /// 403: the policy's message names the role that would allow the action.
    private func denied(_ refusal: Refusal) -> Response {
        PortalHTML.page(
            "Not allowed", "<p class=\"denied\">\(SignInHTML.escape(refusal.message))</p><p><a href=\"/models\">Models</a></p>",
            status: .forbidden)
    }
}
