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
        .executable(name: "ModelPortal", targets: ["ModelPortal"]),
        .executable(name: "PartnerAnalytics", targets: ["PartnerAnalytics"]),
    ],
    dependencies: [
        .package(name: "Portcullis", path: "..", traits: ["Hummingbird", "AsyncHTTPClient"]),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
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
        // Scenario 2: the model portal's JSON API, roles from an OpenID provider (DESIGN.md "the model portal example").
        .target(
            name: "ModelPortalKit",
            dependencies: [
                .product(name: "Portcullis", package: "Portcullis"),
                .product(name: "PortcullisHummingbird", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "ModelPortal/App",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ModelPortal",
            dependencies: [
                "ModelPortalKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "ModelPortal/Main",
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
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PortcullisTesting", package: "Portcullis"),
            ],
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
            name: "ModelPortalTests",
            dependencies: [
                "ModelPortalKit", "ExamplesTestSupport",
                .product(name: "PortcullisTesting", package: "Portcullis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Support"],
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
        // The AsyncHTTPClient document fetcher of PortcullisOIDC (root trait "AsyncHTTPClient"),
        // tested here because this package builds SwiftNIO anyway.
        .testTarget(
            name: "PortcullisNIOTests",
            dependencies: [
                .product(name: "PortcullisOIDCAsyncHTTPClient", package: "Portcullis"),
                .product(name: "PortcullisOIDC", package: "Portcullis"),
                .product(name: "PortcullisJWT", package: "Portcullis"),
                .product(name: "PortcullisJOSE", package: "Portcullis"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
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
