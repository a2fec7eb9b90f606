// swift-tools-version: 6.1
import PackageDescription

// HOLLOW_INTERNAL_CHECKS=1 (scripts/test.sh sets it) compiles HollowCore's invariant checks in:
// `_checkInvariants()` of its structures where they are complete (docs/TESTING.md).
let internalChecks: [SwiftSetting] =
    Context.environment["HOLLOW_INTERNAL_CHECKS"].map { !$0.isEmpty && $0 != "0" } == true
    ? [.define("HOLLOW_INTERNAL_CHECKS")] : []

let package = Package(
    name: "swift-hollow",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HollowCore", targets: ["HollowCore"]),
        .library(name: "HollowCodable", targets: ["HollowCodable"]),
        .library(name: "Hollow", targets: ["Hollow"]),
        .library(name: "HollowTesting", targets: ["HollowTesting"]),
        .library(name: "HollowImport", targets: ["HollowImport"]),
        .library(name: "HollowEtcd", targets: ["HollowEtcd"]),
        .library(name: "HollowEtcdTesting", targets: ["HollowEtcdTesting"]),
        .library(name: "HollowS3", targets: ["HollowS3"]),
        .library(name: "HollowS3Testing", targets: ["HollowS3Testing"]),
        .library(name: "HollowTools", targets: ["HollowTools"]),
        .library(name: "HollowHTTPStore", targets: ["HollowHTTPStore"]),
        .library(name: "HollowHTTPStoreTesting", targets: ["HollowHTTPStoreTesting"]),
        .library(name: "HollowHTTP", targets: ["HollowHTTP"]),
        .executable(name: "hollow", targets: ["hollow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        // `swift package generate-documentation` for the DocC catalogs (scripts/docs.sh); no target uses it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // glibc's malloc_trim, for the producer's work in parallel parts (ParallelParts).
        .systemLibrary(name: "CMalloc"),
        // __builtin_prefetch, for the write state's batched look-ups (RecordStore.prefetch).
        .systemLibrary(name: "CPrefetch"),
        .target(
            name: "HollowCore",
            dependencies: ["CLZ4", "CMalloc", "CPrefetch"],
            swiftSettings: [.swiftLanguageMode(.v6)] + internalChecks
        ),
        // Codable values in and out of write and read states (docs/CODABLE.md).
        .target(
            name: "HollowCodable",
            dependencies: ["HollowCore"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Producer and consumer: blob stores, announcement logs, leader election, update planner.
        .target(
            name: "Hollow",
            dependencies: [
                "HollowCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // FileDescriptor under the file I/O layer (FileIO/).
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // In-memory store and log with fault injection, for users' own tests (and ours).
        .target(
            name: "HollowTesting",
            dependencies: ["Hollow", .product(name: "Logging", package: "swift-log")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Announcement log and leader election on etcd's v3 JSON gateway (docs/ETCD.md). The only
        // target with an HTTP client: services that consume from files do not compile one.
        .target(
            name: "HollowEtcd",
            dependencies: [
                "Hollow",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // ByteBuffer for bodies; NIOPosix to tell a refused connection from a lost answer.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // TLS to etcd (a CA, a client certificate): async-http-client's TLS types.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // A real etcd on loopback for tests (ours and users'): started, paused, restarted, stopped.
        .target(
            name: "HollowEtcdTesting",
            dependencies: [
                "HollowTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // A blob store on S3 and S3-compatible servers (docs/S3.md): SigV4 on async-http-client
        // and swift-crypto. Its own target: a consumer on files does not compile an HTTP client.
        .target(
            name: "HollowS3",
            dependencies: [
                "Hollow",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                // ByteBuffer for bodies; NIOPosix to tell a refused connection from a lost answer.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // A real S3-compatible server (moto) on loopback for tests, ours and users': started,
        // frozen, restarted, stopped; buckets and users made with signed requests.
        .target(
            name: "HollowS3Testing",
            dependencies: [
                "HollowS3",
                "HollowTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Records from JSON Lines, CSV and TSV text into a write state (the tool's `produce`).
        .target(
            name: "HollowImport",
            dependencies: ["HollowCore"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // What the tool computes that a program wants too: diffs of states, records as JSON, the
        // history of versions (docs/API.md). No HTTP client, no argument parser.
        .target(
            name: "HollowTools",
            dependencies: ["Hollow", "HollowCore"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // What a service mounts to be seen and run: /metrics (Prometheus), /health and /ready, on
        // Hummingbird (docs/HTTP.md). Its own target: a plain consumer compiles no HTTP server.
        .target(
            name: "HollowHTTP",
            dependencies: [
                "Hollow",
                "HollowCore",
                "HollowTools",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The example service a team copies from (Examples/CatalogService/README.md); built with
        // the package so that its tests and load test run against this version of the library.
        .executableTarget(
            name: "CatalogService",
            dependencies: [
                "Hollow",
                "HollowCore",
                "HollowHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Examples/CatalogService/Sources/CatalogService",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The command-line tool (docs/CLI.md).
        .executableTarget(
            name: "hollow",
            dependencies: [
                "Hollow",
                "HollowHTTP",
                "HollowImport",
                "HollowEtcd",
                "HollowHTTPStore",
                "HollowS3",
                "HollowTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The fuzzers of the readers of outside bytes: blobs, JSON Lines, CSV, TSV, schema text, log
        // lines (docs/FUZZING.md). Built with -DFUZZING it is a libFuzzer target; a plain build gives
        // a tool that replays fuzzer inputs and writes the blob seed corpus.
        .executableTarget(
            name: "HollowFuzz",
            dependencies: ["HollowCore", "HollowImport", "Hollow", "HollowTools"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // A read-only blob store for consumers, over any static HTTP server (docs/DEPLOYMENT.md).
        // Its own target: a consumer on files does not compile an HTTP client.
        .target(
            name: "HollowHTTPStore",
            dependencies: [
                "Hollow",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // A real nginx on loopback, and certificates made with openssl, for tests of HTTP stores.
        .target(
            name: "HollowHTTPStoreTesting",
            dependencies: ["HollowTesting"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // CPU-bound test suites run on threads of their own (`.onTestThreads`), off Swift's pool.
        .target(name: "TestThreads", path: "Tests/TestThreads", swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "HollowCoreTests",
            dependencies: [
                "TestThreads",
                "HollowCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "HollowCodableTests",
            dependencies: [
                "TestThreads",
                "HollowCodable",
                "HollowCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Against a real etcd started by each test (/usr/bin/etcd, Debian's etcd-server).
        .testTarget(
            name: "HollowEtcdTests",
            dependencies: [
                "HollowEtcd",
                "HollowEtcdTesting",
                "Hollow",
                "HollowCore",
                "HollowTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Against a real moto server started by the tests (`moto_server`, from PyPI's moto[server]).
        .testTarget(
            name: "HollowS3Tests",
            dependencies: [
                "HollowS3",
                "HollowS3Testing",
                "Hollow",
                "HollowCore",
                "HollowTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "HollowTests",
            dependencies: [
                "TestThreads",
                "Hollow",
                "HollowCodable",
                "HollowTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // HollowTools' diff, JSON and history on states and logs built in memory; records printed
        // as JSON read back by the importer.
        .testTarget(
            name: "HollowToolsTests",
            dependencies: [
                "TestThreads",
                "HollowTools",
                "Hollow",
                "HollowCore",
                "HollowImport",
                "HollowTesting",
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The importer's parsers (JSON Lines, CSV, TSV), by example and by property.
        .testTarget(
            name: "HollowImportTests",
            dependencies: [
                "TestThreads",
                "HollowImport",
                "HollowCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The built tool driven as a subprocess (sessions, errors, failover drills).
        .testTarget(
            name: "HollowHTTPTests",
            dependencies: [
                "Hollow",
                "HollowCore",
                "HollowHTTP",
                "HollowTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "HollowToolTests",
            dependencies: [
                "Hollow",
                "HollowHTTPStore",
                "HollowHTTPStoreTesting",
                "HollowS3",
                "HollowS3Testing",
                "HollowTools",
                "HollowEtcd",
                "HollowEtcdTesting",
                "HollowTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "HollowHTTPStoreTests",
            dependencies: [
                "HollowHTTPStore",
                "HollowHTTPStoreTesting",
                "Hollow",
                "HollowTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
