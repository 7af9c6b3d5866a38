// swift-tools-version: 6.2
import PackageDescription

/// Settings every Portcullis target shares: Swift 6 language mode plus the upcoming features that
/// keep imports and existentials explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Portcullis",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Portcullis", targets: ["Portcullis"]),
        .library(name: "PortcullisJOSE", targets: ["PortcullisJOSE"]),
        .library(name: "PortcullisCrypto", targets: ["PortcullisCrypto"]),
        .library(name: "PortcullisJWT", targets: ["PortcullisJWT"]),
        .library(name: "PortcullisPolicy", targets: ["PortcullisPolicy"]),
        .library(name: "PortcullisTesting", targets: ["PortcullisTesting"]),
        .library(name: "PortcullisHummingbird", targets: ["PortcullisHummingbird"]),
        .library(name: "PortcullisOIDC", targets: ["PortcullisOIDC"]),
        .library(name: "PortcullisOIDCAsyncHTTPClient", targets: ["PortcullisOIDCAsyncHTTPClient"]),
        .library(name: "PortcullisJWE", targets: ["PortcullisJWE"]),
        .library(name: "PortcullisTokenExchange", targets: ["PortcullisTokenExchange"]),
        .executable(name: "portcullis", targets: ["PortcullisCLI"]),
    ],
    traits: [
        .trait(
            name: "Hummingbird",
            description: "Builds PortcullisHummingbird, the Hummingbird 2 adapter (brings in SwiftNIO). Off by default: a server that uses only the framework-neutral core never builds Hummingbird or SwiftNIO."
        ),
        .trait(
            name: "AsyncHTTPClient",
            description: "Builds PortcullisOIDCAsyncHTTPClient, an OpenID Connect document fetcher on AsyncHTTPClient (brings in SwiftNIO). Off by default: PortcullisOIDC fetches with Foundation's URLSession."
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenSSL 3 (libcrypto) as a system library, plus a header-only shim for macros and
        // OSSL_PARAM building. Only PortcullisCrypto imports it.
        .systemLibrary(
            name: "CPortcullisOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // zlib for JWE "zip": "DEF" (RFC 7516 §4.1.3), with a header-only shim for its macros.
        // Only PortcullisCrypto imports it.
        .systemLibrary(
            name: "CPortcullisZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "PortcullisJOSE",
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisCrypto",
            dependencies: ["PortcullisJOSE", "CPortcullisOpenSSL", "CPortcullisZlib"],
            swiftSettings: strictSettings + [.strictMemorySafety()]
        ),
        .target(
            name: "PortcullisJWT",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto"],
            swiftSettings: strictSettings
        ),
        // OpenID Connect: discovery, remote JWK Sets, ID tokens, several issuers. Foundation's
        // URLSession only; no SwiftNIO.
        .target(
            name: "PortcullisOIDC",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT"],
            swiftSettings: strictSettings
        ),
        // The AsyncHTTPClient fetcher: its sources are compiled only with the "AsyncHTTPClient"
        // trait, and only then is AsyncHTTPClient (and SwiftNIO) built.
        .target(
            name: "PortcullisOIDCAsyncHTTPClient",
            dependencies: [
                "PortcullisOIDC", "PortcullisJOSE",
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["AsyncHTTPClient"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["AsyncHTTPClient"])),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: ["AsyncHTTPClient"])),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisPolicy",
            dependencies: ["PortcullisJOSE", "PortcullisJWT", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Portcullis",
            dependencies: [
                "PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT", "PortcullisPolicy", "PortcullisOIDC", "PortcullisJWE",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // The Hummingbird adapter: its sources are compiled only with the "Hummingbird" trait
        // (`.package(url: …, from: …, traits: ["Hummingbird"])`), and only then is Hummingbird built.
        .target(
            name: "PortcullisHummingbird",
            dependencies: [
                "Portcullis", "PortcullisTokenExchange",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
            ],
            swiftSettings: strictSettings
        ),
        // RFC 8693 token exchange: the framework-neutral token endpoint, its signing keys and
        // metadata, and the partner-side client. No SwiftNIO.
        .target(
            name: "PortcullisTokenExchange",
            dependencies: [
                "PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT", "PortcullisPolicy", "PortcullisOIDC",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisTesting",
            dependencies: [
                "PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisJWE",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "PortcullisCLI",
            dependencies: [
                "Portcullis",
                "PortcullisOIDC",
                "PortcullisTokenExchange",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisJOSETests",
            dependencies: ["PortcullisJOSE"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisCryptoTests",
            dependencies: ["PortcullisTesting", "PortcullisCrypto", "PortcullisJOSE"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisJWTTests",
            dependencies: ["PortcullisTesting", "PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisPolicyTests",
            dependencies: ["PortcullisPolicy", "PortcullisTesting", "PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE"],
            exclude: ["Support"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisTests",
            dependencies: [
                "Portcullis", "PortcullisTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisOIDCTests",
            dependencies: ["PortcullisOIDC", "PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE", "PortcullisTesting"],
            exclude: ["Support"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisJWETests",
            dependencies: ["PortcullisTesting", "PortcullisJWE", "PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisTokenExchangeTests",
            dependencies: [
                "PortcullisTokenExchange", "PortcullisTesting", "PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisCLITests",
            dependencies: ["PortcullisCLI", "PortcullisTesting"],
            swiftSettings: strictSettings
        ),
    ]
)
