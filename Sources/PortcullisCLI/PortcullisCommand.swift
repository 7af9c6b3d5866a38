import ArgumentParser
import Foundation

/// `portcullis`: inspect, verify and mint JOSE tokens.
@main
struct PortcullisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portcullis",
        abstract: "Inspect, verify and mint OAuth 2.0 / OpenID Connect JSON Web Tokens.",
        discussion: """
            Exit status: 0 success (token accepted), 1 token rejected, 2 usage or configuration error.
            """,
        version: "0.1.0",
        subcommands: [
            VerifyCommand.self, InspectCommand.self, SignCommand.self, KeygenCommand.self, JWKSCommand.self,
            DecryptCommand.self, EncryptCommand.self, ExchangeCommand.self,
        ]
    )

    /// Runs the command line with the exit statuses of the Portcullis CLI contract: argument
    /// errors are `2` (ArgumentParser's own default would be 64).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(CLIExit.usage.rawValue)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let exit as CLIExit {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { Foundation.exit(0) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(CLIExit.usage.rawValue)
        }
        Foundation.exit(0)
    }
}

/// The CLI's exit statuses (stable contract).
enum CLIExit: Int32, Error {
    /// The token was accepted / the command succeeded.
    case success = 0
    /// The token was rejected.
    case rejected = 1
    /// Usage or configuration error.
    case usage = 2
}

/// A usage or configuration problem found while running (exit status 2).
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
