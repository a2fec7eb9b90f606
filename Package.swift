// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-hollow",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HollowCore", targets: ["HollowCore"]),
        .library(name: "Hollow", targets: ["Hollow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .target(
            name: "HollowCore",
            dependencies: ["CLZ4"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Producer and consumer side: blob stores, announcement logs (issue 3, under way).
        .target(
            name: "Hollow",
            dependencies: ["HollowCore"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The blob fuzzer (docs/FUZZING.md). Built with -DFUZZING it is a libFuzzer target; a plain
        // build gives a tool that replays fuzzer inputs and writes the seed corpus.
        .executableTarget(
            name: "HollowFuzz",
            dependencies: ["HollowCore"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "HollowCoreTests",
            dependencies: [
                "HollowCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "HollowTests",
            dependencies: [
                "Hollow",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
