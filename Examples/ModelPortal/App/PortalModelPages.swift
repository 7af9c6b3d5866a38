import Foundation
import Hummingbird
import Portcullis

/// `/models`: the models and the forms the signed-in user's roles allow. Every form post is
/// CSRF-checked, then authorized with the same requirements as the JSON API; a denied action
/// answers 403 with a page naming the role that would allow it.
struct PortalModelPages: Sendable {
    typealias Context = ModelPortal.Context
    let portal: ModelPortal
    let signIn: PortalSignIn?

    func register(on router: Router<Context>) {
        router.get("models") { request, _ in await list(request) }
        router.post("models") { request, context in
            try await act(request, context, portal.permissions.write) { form, _ in
                guard let name = form["name"], RequestBody.isValidName(name) else {
                    return "a model name is 1 to 64 characters from A-Z a-z 0-9 . _ - starting with a letter or digit"
                }
                _ = try await portal.registry.create(name)
                return nil
            }
        }
        router.post("models/:name/versions") { request, context in
            try await act(request, context, portal.permissions.write) { form, session in
                let note = form["note"] ?? ""
                guard note.count <= RequestBody.maximumNoteLength else { return "a note has at most 1000 characters" }
                _ = try await portal.registry.addVersion(to: try name(context), note: note, by: session.subject)
                return nil
            }
        }
        router.post("models/:name/deploy") { request, context in
            try await act(request, context, portal.permissions.deploy) { _, _ in
                _ = try await portal.registry.deploy(try name(context), version: nil)
                return nil
            }
        }
        router.post("models/:name/delete") { request, context in
            try await act(request, context, portal.permissions.delete) { _, _ in
                try await portal.registry.delete(try name(context))
                return nil
            }
        }
    }

    private func name(_ context: Context) throws -> String {
        guard let name = context.parameters.get("name") else { throw ModelRegistry.Failure.unknownModel("") }
        return name
    }

    /// Whether `session` may do what `requirement` names (the policy engine decides).
    private func allows(_ requirement: RouteRequirement, _ session: Session, _ request: Request) -> Bool {
        (try? portal.authorizer.authorize(session.token, request: request.head, requirement: requirement)) != nil
    }

    private func list(_ request: Request) async -> Response {
        guard signIn != nil else { return PortalPages.unavailable }
        guard let session = await PortalPages.session(request, signIn) else { return PortalHTML.redirect("/login") }
        let permissions = portal.permissions
        guard allows(permissions.read, session, request) else {
            return denied(permissions.read, session, request)
        }
        let write = allows(permissions.write, session, request)
        let deploy = allows(permissions.deploy, session, request)
        let delete = allows(permissions.delete, session, request)
        let csrf = session.csrfToken
        var rows = ""
        for model in await portal.registry.list() {
            let name = PortalHTML.escape(model.name)
            var actions: [String] = []
            if write {
                actions.append(PortalHTML.form(
                    action: "/models/\(model.name)/versions", csrf: csrf, button: "Upload a version",
                    fields: #"<input name="note" placeholder="note" maxlength="1000">"#))
            }
            if deploy { actions.append(PortalHTML.form(action: "/models/\(model.name)/deploy", csrf: csrf, button: "Deploy the latest")) }
            if delete { actions.append(PortalHTML.form(action: "/models/\(model.name)/delete", csrf: csrf, button: "Delete")) }
            rows += "<tr><td class=\"model\">\(name)</td><td>\(model.versions.count)</td><td>\(model.deployed.map(String.init) ?? "—")</td><td>\(actions.joined())</td></tr>\n"
        }
        var notes: [String] = []
        if write {
            notes.append(PortalHTML.form(action: "/models", csrf: csrf, button: "Create a model", fields: #"<input name="name" placeholder="name" required>"#))
        } else {
            notes.append("<p class=\"denied\">Creating models and uploading versions needs the role Data Scientist or Admin.</p>")
        }
        if !deploy { notes.append("<p class=\"denied\">Deploying needs the role Admin.</p>") }
        if !delete { notes.append("<p class=\"denied\">Deleting needs the role Admin.</p>") }
        let roles = portal.permissions.roleNames(in: session.token)
        return PortalHTML.page("Models", """
            <p>Signed in as <strong>\(PortalHTML.escape(session.subject))</strong>; roles: \(PortalHTML.escape(roles.isEmpty ? "none" : roles.joined(separator: ", "))).</p>
            <table><thead><tr><th>model</th><th>versions</th><th>deployed</th><th>actions</th></tr></thead><tbody>
            \(rows)</tbody></table>
            \(notes.joined(separator: "\n"))
            \(PortalHTML.form(action: "/logout", csrf: csrf, button: "Sign out"))
            """)
    }

    /// A form post: session (else to `/login`), CSRF token (403), permission (403 naming the
    /// role), then `perform`, which returns a problem to show (400) or `nil` to go back to `/models`.
    private func act(
        _ request: Request, _ context: Context, _ requirement: RouteRequirement,
        _ perform: (PortalForm, Session) async throws -> String?
    ) async throws -> Response {
        guard signIn != nil else { return PortalPages.unavailable }
        guard let session = await PortalPages.session(request, signIn) else { return PortalHTML.redirect("/login") }
        let form = try await PortalForm(request, context)
        guard form.hasCSRFToken(session.csrfToken) else { return PortalForm.csrfRefusal }
        guard allows(requirement, session, request) else { return denied(requirement, session, request) }
        do {
            if let problem = try await perform(form, session) {
                return PortalHTML.page("Request refused", "<p>\(PortalHTML.escape(problem))</p><p><a href=\"/models\">Models</a></p>", status: .badRequest)
            }
        } catch let failure as ModelRegistry.Failure {
            return PortalHTML.page(
                "Request refused", "<p>\(PortalHTML.escape(failure.message))</p><p><a href=\"/models\">Models</a></p>", status: failure.status)
        }
        return PortalHTML.redirect("/models")
    }

    /// 403: the policy's message names the role that would allow the action.
    private func denied(_ requirement: RouteRequirement, _ session: Session, _ request: Request) -> Response {
        let message: String
        do {
            _ = try portal.authorizer.authorize(session.token, request: request.head, requirement: requirement)
            message = "\(requirement.name) is not allowed"
        } catch {
            message = error.message
        }
        return PortalHTML.page(
            "Not allowed", "<p class=\"denied\">\(PortalHTML.escape(message))</p><p><a href=\"/models\">Models</a></p>", status: .forbidden)
    }
}
