import ExamplesTestSupport
import Foundation
import Testing

/// A real browser: headless Chromium signs in to the portal through `oidc-provider-mock` as each
/// of the three roles (Sign in → the provider's consent form → `/models`), and the rendered pages
/// show exactly that role's forms and notes; the Data Scientist creates a model and uploads a
/// version through the forms, the Viewer then sees it, the Admin deploys it and signs out. The
/// screenshots of the three `/models` pages go to a temporary directory outside the repository,
/// named on standard error. Nested in ``RealProviderTests``: its gate (the provider's Python)
/// applies, and it runs alone, not beside the other provider-backed tests.
extension RealProviderTests {
    @Suite(
        "Model portal: a real browser (headless Chromium) signs in as each role",
        .enabled(if: HeadlessChromium.executable != nil || HeadlessChromium.isCI, "\(HeadlessChromium.missingMessage)"))
    struct BrowserSignInTests {
        /// A provider user of one of the three roles and the permissions their pages must offer.
        struct Role: Sendable {
            let subject: String
            let role: String
            let write: Bool
            let deploy: Bool
            let delete: Bool

            /// The screenshot of this user's `/models` page.
            var screenshot: String { "\(subject)-\(role.lowercased().replacingOccurrences(of: " ", with: "-")).png" }
        }

        /// In the order the browser signs them in.
        static let roles = [
            Role(subject: "dana", role: "Data Scientist", write: true, deploy: false, delete: false),
            Role(subject: "vera", role: "Viewer", write: false, deploy: false, delete: false),
            Role(subject: "ada", role: "Admin", write: true, deploy: true, delete: true),
        ]

        /// A fresh browser context signs in from the portal's home page through the provider's
        /// consent form, and lands on `/models`.
        static func signIn(_ base: String, as role: Role, screenshots: URL) -> [HeadlessChromium.Step] {
            [
                .context, .open(base + "/"), .snapshot("\(role.subject) home"),
                .click("a", text: "Sign in"), .snapshot("\(role.subject) consent"),
                .fill("input[name=sub]", role.subject), .click("button", text: "Authorize"),
                .snapshot(role.subject, screenshot: screenshots.appendingPathComponent(role.screenshot)),
            ]
        }

        /// A form's submit button, by the form's `action`.
        static func button(_ action: String) -> String { #"form[action="\#(action)"] button"# }

        @Test func eachRoleSeesExactlyItsPermissions() async throws {
            let chromium = try #require(
                HeadlessChromium.executable, "\(HeadlessChromium.missingMessage); CI is set, so a missing browser fails")
            let python = try #require(RealProvider.python)
            let screenshots = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-browser-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
            try await RealProviderTests.withProvider { provider in
                try await PortalHarness.run(RealProviderTests.portal(provider)) { harness in
                    let base = harness.base
                    let (dana, vera, ada) = (Self.roles[0], Self.roles[1], Self.roles[2])
                    let beforeSignOut = Self.signIn(base, as: dana, screenshots: screenshots) + [
                        .fill(#"form[action="/models"] input[name=name]"#, "churn"), .click(Self.button("/models")),
                        .fill(#"form[action="/models/churn/versions"] input[name=note]"#, "first upload"),
                        .click(Self.button("/models/churn/versions")), .snapshot("dana after upload"),
                    ] + Self.signIn(base, as: vera, screenshots: screenshots)
                        + Self.signIn(base, as: ada, screenshots: screenshots) + [
                            .click(Self.button("/models/churn/deploy")), .snapshot("ada after deploy"),
                        ]
                    let signOut: [HeadlessChromium.Step] = [
                        .click(Self.button("/logout")), .snapshot("end session"),
                        .click("button", text: "End session"), .snapshot("home after sign-out"),
                        .open(base + "/models"), .snapshot("models after sign-out"),
                    ]
                    let report = try await HeadlessChromium.run(beforeSignOut + signOut, chromium: chromium, python: python)
                    let failure = "\(report.step.map { "step \($0)" } ?? "starting Chromium"): \(report.error ?? "")"
                    try #require(report.error == nil, "\(failure) \(report.chromiumLog ?? "")")
                    #expect(report.browser?.hasPrefix("Chrome/") == true)
                    try Self.expectPages(report, base: base)
                    Self.expectConsent(try #require(report.page("dana consent")), issuer: provider.issuer)
                    // Sign-out posts a form whose 303 leads to the provider's end_session_endpoint,
                    // another origin: the pages' Content-Security-Policy `form-action` names that
                    // origin (CSP Level 3 applies it to a form submission's redirects too).
                    try Self.expectSignOut(report, base: base, issuer: provider.issuer)
                }
            }
            try Self.expectScreenshots(in: screenshots)
        }

        /// Asserts what each page of the run showed.
        static func expectPages(_ report: HeadlessChromium.Report, base: String) throws {
            let home = try #require(report.page("dana home"))
            #expect(home.url == base + "/")
            #expect(home.text.contains("You are not signed in."))
            #expect(home.links.contains { $0.text == "Sign in" && $0.href == "/login" })

            let before = ["fraud-detector", "sentiment"], after = ["churn", "fraud-detector", "sentiment"]
            for (role, models) in zip(roles, [before, after, after]) {
                try expectModelsPage(try #require(report.page(role.subject)), of: role, models: models, base: base)
            }
            // The Data Scientist's create and upload, seen by the Viewer, deployed by the Admin.
            let uploaded = try #require(report.page("dana after upload"))
            #expect(uploaded.url == base + "/models")
            #expect(uploaded.row("churn")?.prefix(3) == ["churn", "1", "—"])
            #expect(try #require(report.page("vera")).row("churn")?.prefix(3) == ["churn", "1", "—"])
            #expect(try #require(report.page("ada")).row("churn")?.prefix(3) == ["churn", "1", "—"])
            let deployed = try #require(report.page("ada after deploy"))
            #expect(deployed.row("churn")?.prefix(3) == ["churn", "1", "1"])
            #expect(deployed.row("sentiment")?.prefix(3) == ["sentiment", "3", "2"])
        }

        /// The provider's consent form, reached from the portal's `/login`.
        static func expectConsent(_ page: HeadlessChromium.Page, issuer: String) {
            #expect(page.url.hasPrefix(issuer + "/oauth2/authorize?"), "\(page.url)")
            #expect(page.url.contains("client_id=\(RealProvider.clientID)") && page.url.contains("code_challenge_method=S256"))
            #expect(page.headings.first == "Authorize Client")
            #expect(page.forms.contains { $0.inputs == ["sub"] && $0.buttons == ["Authorize"] })
        }

        /// Sign-out: the provider's end-session page, back home signed out, and `/models` sends
        /// the browser through `/login` to the provider's consent form again.
        static func expectSignOut(_ report: HeadlessChromium.Report, base: String, issuer: String) throws {
            let endSession = try #require(report.page("end session"))
            #expect(endSession.url.hasPrefix(issuer + "/oauth2/end_session?"), "\(endSession.url)")
            #expect(endSession.headings.first == "End Session")
            let signedOut = try #require(report.page("home after sign-out"))
            #expect(signedOut.url == base + "/")
            #expect(signedOut.text.contains("You are not signed in."))
            expectConsent(try #require(report.page("models after sign-out")), issuer: issuer)
        }

        /// `/models` as `role` renders: its name and role, the models, exactly the forms its
        /// permissions allow (in page order), and a note naming the role for each one missing.
        static func expectModelsPage(
            _ page: HeadlessChromium.Page, of role: Role, models: [String], base: String
        ) throws {
            #expect(page.url == base + "/models", "\(role.subject): \(page.url)")
            #expect(page.headings == ["Models"])
            #expect(page.text.contains("Signed in as \(role.subject); roles: \(role.role)."), "\(page.text)")
            #expect(page.rows.map { $0.first ?? "" } == models)
            var actions: [String] = []
            for model in models {
                if role.write { actions.append("/models/\(model)/versions") }
                if role.deploy { actions.append("/models/\(model)/deploy") }
                if role.delete { actions.append("/models/\(model)/delete") }
            }
            if role.write { actions.append("/models") }
            #expect(page.forms.map(\.action) == actions + ["/logout"], "\(role.subject)")
            #expect(page.forms.allSatisfy { $0.method == "post" })
            var buttons: Set<String> = ["Sign out"]
            if role.write { buttons.formUnion(["Upload a version", "Create a model"]) }
            if role.deploy { buttons.insert("Deploy the latest") }
            if role.delete { buttons.insert("Delete") }
            #expect(Set(page.forms.flatMap(\.buttons)) == buttons, "\(role.subject)")
            var notes: [String] = []
            if !role.write { notes.append("Creating models and uploading versions needs the role Data Scientist or Admin.") }
            if !role.deploy { notes.append("Deploying needs the role Admin.") }
            if !role.delete { notes.append("Deleting needs the role Admin.") }
            #expect(page.denied == notes, "\(role.subject)")
        }

        /// Each role's screenshot is a real PNG of the 1100 × 900 viewport; its directory is
        /// named on standard error (and the images attached, for `swift test --attachments-path`).
        static func expectScreenshots(in directory: URL) throws {
            for role in roles {
                let file = directory.appendingPathComponent(role.screenshot)
                let png = try Data(contentsOf: file)
                #expect(png.count > 5_000, "\(file.path): \(png.count) bytes")
                #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(file.path) is not a PNG")
                #expect(png.count > 24 && png[12..<16] == Data("IHDR".utf8))
                let size = png.count > 24 ? png[16..<24].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : 0
                #expect(size == 1_100 << 32 | 900, "\(file.path): not 1100 × 900")
                Attachment.record(png, named: role.screenshot)
            }
            let names = roles.map(\.screenshot).joined(separator: ", ")
            FileHandle.standardError.write(Data("BrowserSignInTests: screenshots of /models (\(names)) in \(directory.path)\n".utf8))
        }
    }
}
