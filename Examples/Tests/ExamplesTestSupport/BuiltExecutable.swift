public import Foundation

/// Finds an example's executable that SwiftPM built beside the test bundle.
public enum BuiltExecutable {
    /// `.build/<config>/<name>`, looked for in the test bundle's folder and up to three above it;
    /// `nil` when it is not built.
    public static func url(_ name: String) -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
