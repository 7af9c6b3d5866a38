// swift-tools-version: 6.2
import PackageDescription

// One package, one executable per example, so Hummingbird and SwiftNIO are built once for all of
// them. The root package is used by path with its "Hummingbird" trait, which builds the adapter.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "PortcullisExamples",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "CompletionServer", targets: ["CompletionServer"]),
        .executable(name: "PartnerAnalytics", targets: ["PartnerAnalytics"]),
    ],
    dependencies: [
        .package(name: "Portcullis", path: "..", traits: ["Hummingbird"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    ],
    targets: [
        // Scenario 1: free vs premium completions (DESIGN.md "the example completion server").
        .target(
            name: "CompletionServerKit",
            dependencies: [
                .product(name: "Portcullis", package: "Portcullis"),
                .product(name: "PortcullisHummingbird", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "CompletionServer/App",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CompletionServer",
            dependencies: [
                "CompletionServerKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "CompletionServer/Main",
            swiftSettings: strictSettings
        ),
        // Scenario 3: partners acting for their tenants (DESIGN.md "the partner analytics example").
        .target(
            name: "PartnerAnalyticsKit",
            dependencies: [
                .product(name: "Portcullis", package: "Portcullis"),
                .product(name: "PortcullisHummingbird", package: "Portcullis"),
                .product(name: "PortcullisTokenExchange", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "PartnerAnalytics/App",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "PartnerAnalytics",
            dependencies: [
                "PartnerAnalyticsKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "PartnerAnalytics/Main",
            swiftSettings: strictSettings
        ),
        // Test helpers: a curl-based HTTP client, subprocesses, a live in-process server.
        .target(
            name: "ExamplesTestSupport",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/ExamplesTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CompletionServerTests",
            dependencies: [
                "CompletionServerKit", "ExamplesTestSupport",
                .product(name: "PortcullisTesting", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisHummingbirdTests",
            dependencies: [
                .product(name: "PortcullisHummingbird", package: "Portcullis"),
                .product(name: "PortcullisTesting", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                "ExamplesTestSupport",
            ],
            swiftSettings: strictSettings
        ),
            .testTarget(
            name: "PartnerAnalyticsTests",
            dependencies: [
                "PartnerAnalyticsKit", "ExamplesTestSupport",
                .product(name: "PortcullisTokenExchange", package: "Portcullis"),
                .product(name: "PortcullisTesting", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
