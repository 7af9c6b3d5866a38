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
        .library(name: "PortcullisJWE", targets: ["PortcullisJWE"]),
        .executable(name: "portcullis", targets: ["PortcullisCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        .target(
            name: "PortcullisJWE",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Portcullis",
            dependencies: ["PortcullisJOSE", "PortcullisCrypto", "PortcullisJWT", "PortcullisJWE"],
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
            name: "PortcullisJWETests",
            dependencies: ["PortcullisJWE", "PortcullisJWT", "PortcullisCrypto", "PortcullisJOSE"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortcullisCLITests",
            dependencies: ["PortcullisCLI"],
            swiftSettings: strictSettings
        ),
    ]
)
