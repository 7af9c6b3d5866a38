// swift-tools-version: 6.2
import PackageDescription

// Nested-JWT (JWE + JWS) throughput of Portcullis beside Python's joserfc and jwcrypto, in one run.
// A separate package so the library never depends on it. Run with:
//   swift run -c release --package-path Benchmarks/JWE JWEBenchmarks
let package = Package(
    name: "JWEBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Portcullis", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "JWEBenchmarks",
            dependencies: [.product(name: "Portcullis", package: "Portcullis")],
            resources: [.copy("python_nested.py")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
