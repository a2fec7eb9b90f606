// swift-tools-version: 6.1
import PackageDescription

// The benchmarks live in their own package so that `swift build` and `swift test` at the root never
// build the benchmark tool. Run with `swift package benchmark --no-progress` from this directory.
let package = Package(
    name: "swift-hollow-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The identity of a path dependency is its directory's name ("main" in one clone, anything in
        // another), so the name is given: targets below refer to it as "swift-hollow".
        .package(name: "swift-hollow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.2.0"),
    ],
    targets: [
        // mallinfo2 and malloc_trim, which the Glibc module does not export.
        .target(name: "CMemoryStats"),
        // The deterministic movie catalog, its 1% change, the Hollow blobs and the Dictionary baseline.
        .target(
            name: "CatalogFixture",
            dependencies: ["CMemoryStats", .product(name: "HollowCore", package: "swift-hollow")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Real-shaped data: Debian's package index and the PyPI project list, parsed from the files on
        // this machine, in two schema mappings, with a second cycle and the Dictionary baseline.
        .target(
            name: "RealDataFixture",
            dependencies: ["CatalogFixture", .product(name: "HollowCore", package: "swift-hollow")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // What the package-benchmark suites share: the measured region with its thread CPU time.
        .target(
            name: "BenchmarkSupport",
            dependencies: ["CatalogFixture", .product(name: "Benchmark", package: "benchmark")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // A plain executable over the same fixtures, for perf/callgrind and for quick figures.
        .executableTarget(
            name: "HollowProfile",
            dependencies: [
                "CatalogFixture", "RealDataFixture",
                .product(name: "HollowCore", package: "swift-hollow"),
                // `realdata-threads` runs a real producer and consumer (ThreadsMode.swift).
                .product(name: "Hollow", package: "swift-hollow"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The soak of a producer and a consumer on files (scripts/soak.sh); no benchmark tool, so
        // that `swift build -c release --product HollowSoak` builds quickly.
        .executableTarget(
            name: "HollowSoak",
            dependencies: [
                "CatalogFixture",
                .product(name: "Hollow", package: "swift-hollow"),
                .product(name: "HollowCore", package: "swift-hollow"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "HollowBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                "CatalogFixture",
                .product(name: "HollowCore", package: "swift-hollow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HollowBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RealDataBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                "CatalogFixture",
                "RealDataFixture",
                .product(name: "HollowCore", package: "swift-hollow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RealDataBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HollowPipelineBenchmarks",
            dependencies: [
                "CatalogFixture",
                .product(name: "Hollow", package: "swift-hollow"),
                .product(name: "HollowCore", package: "swift-hollow"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HollowPipelineBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HollowImportBenchmarks",
            dependencies: [
                .product(name: "Hollow", package: "swift-hollow"),
                .product(name: "HollowCore", package: "swift-hollow"),
                .product(name: "HollowImport", package: "swift-hollow"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HollowImportBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
