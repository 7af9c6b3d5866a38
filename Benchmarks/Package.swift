// swift-tools-version: 6.2
import PackageDescription

// A separate package so that the library never depends on jwt-kit or swift-crypto.
// Run with: swift run -c release --package-path Benchmarks PortcullisBenchmarks
let package = Package(
    name: "PortcullisBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // `name:` pins the identity: a path dependency is otherwise named after its folder (a clone may be named anything).
        .package(name: "Portcullis", path: ".."),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        // Only to generate the RSA key for jwt-kit; already a dependency of jwt-kit.
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        .executableTarget(
            name: "PortcullisBenchmarks",
            dependencies: [
                .product(name: "Portcullis", package: "Portcullis"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [
                // The Portcullis side of the comparison (PortcullisSide.swift) is compiled in.
                .define("PORTCULLIS_VERIFIER"),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
