// swift-tools-version: 6.1
import PackageDescription

// Strict concurrency and the upcoming features the Swift 6 world is moving to.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "warehouse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "warehouse", targets: ["warehouse"]),
        .library(name: "WarehouseKit", targets: ["WarehouseKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CSQLite3",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // glibc's malloc_trim (ReturnFreedMemory): a header, no library.
        .systemLibrary(name: "CMalloc"),
        .executableTarget(name: "embed-sql", swiftSettings: strict),
        .plugin(
            name: "EmbedSQL",
            capability: .buildTool(),
            dependencies: ["embed-sql"]
        ),
        .target(
            name: "WarehouseKit",
            dependencies: [
                "CLibPQ", "CSQLite3", "CCrypto", "CZlib", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
            ],
            // The load's inner loops run millions of times; exclusivity checks there cost ~10%.
            swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))],
            plugins: ["EmbedSQL"]
        ),
        .target(
            name: "WarehouseServer",
            dependencies: [
                "WarehouseKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
                // Socket addresses (bind to one host, not every interface) live in FlyingFox's own socket module.
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "warehouse",
            dependencies: [
                "WarehouseKit", "WarehouseServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Shared by the test targets: the PostgreSQL server the suite owns, fresh databases, fixtures,
        // test threads. Depends on the core only, so the core's tests never build the server.
        .target(
            name: "WarehouseTestSupport",
            dependencies: ["WarehouseKit"],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        // The supplier's REST API played by a real HTTP server on 127.0.0.1, for pull tests.
        .target(
            name: "WarehouseFakeSupplier",
            dependencies: [
                "WarehouseKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            path: "Tests/FakeSupplier",
            swiftSettings: strict
        ),
        // Tests split by what they need (docs/testing.md): nothing but the code ...
        .testTarget(
            name: "WarehouseUnitTests",
            dependencies: ["WarehouseKit", "WarehouseTestSupport"],
            swiftSettings: strict
        ),
        // ... a real PostgreSQL server (and the fake supplier for pulls) ...
        .testTarget(
            name: "WarehousePostgresTests",
            dependencies: [
                "WarehouseKit", "WarehouseTestSupport", "WarehouseFakeSupplier",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // ... the dashboard over HTTP, and in headless Chromium ...
        .testTarget(
            name: "WarehouseDashboardTests",
            dependencies: ["WarehouseKit", "WarehouseServer", "WarehouseTestSupport"],
            swiftSettings: strict
        ),
        // ... and the built `warehouse` binary, run as a user runs it.
        .testTarget(
            name: "WarehouseCLITests",
            dependencies: [
                "warehouse", "WarehouseTestSupport", "WarehouseFakeSupplier",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
