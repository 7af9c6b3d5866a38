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
        .executable(name: "portcullis", targets: ["PortcullisCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        .target(
            name: "PortcullisJOSE",
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisCrypto",
            dependencies: ["PortcullisJOSE", "CPortcullisOpenSSL"],
            swiftSettings: strictSettings + [.strictMemorySafety()]
        ),
        .target(
            name: "PortcullisJWT",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisPolicy",
            dependencies: ["PortcullisJOSE", "PortcullisJWT", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Portcullis",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT", "PortcullisPolicy"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PortcullisTesting",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "PortcullisCLI",
            dependencies: [
                "Portcullis",
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
            dependencies: ["PortcullisCrypto", "PortcullisJOSE"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisJWTTests",
            dependencies: ["PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE"],
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
            name: "PortcullisCLITests",
            dependencies: ["PortcullisCLI"],
            swiftSettings: strictSettings
        ),
    ]
)
