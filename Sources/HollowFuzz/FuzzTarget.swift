#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HollowImport

/// The readers one HollowFuzz binary fuzzes, one per process: the target is chosen by the
/// environment variable `HOLLOW_FUZZ_TARGET` (`blob` when unset), read once. Each target checks
/// what its reader promises (a typed error, or a result that is right), and traps with a message
/// when it is not kept, so that the fuzzer finds wrong answers and not only crashes.
enum FuzzTarget: String, CaseIterable {
    /// The blob reader: snapshots and chains of deltas (BlobTarget).
    case blob
    /// The state image reader, with its mapped indexes (ImageTarget).
    case image
    /// The importer, on JSON Lines, CSV and TSV text (ImportTarget).
    case jsonl, csv, tsv
    /// The schema text parser (SchemaTarget).
    case schema
    /// A file announcement log's lines (LogLineTarget).
    case logLine = "log-line"

    static let variable = "HOLLOW_FUZZ_TARGET"

    /// The target of this process (the replay tool's `--target` overrides it).
    static let selected = fromEnvironment()

    private static func fromEnvironment() -> FuzzTarget {
        guard let value = getenv(variable).map({ String(cString: $0) }), !value.isEmpty else { return .blob }
        guard let target = FuzzTarget(rawValue: value) else {
            fatalError("\(variable)=\(value) names no target; one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }

    /// Runs one input through the target; what it did, in words (for the replay tool).
    func run(_ data: UnsafeRawBufferPointer) -> String {
        switch self {
        case .blob: BlobTarget.run(data).description
        case .image: ImageTarget.run(data)
        case .jsonl: ImportTarget.run(data, format: .jsonLines)
        case .csv: ImportTarget.run(data, format: .csv)
        case .tsv: ImportTarget.run(data, format: .tsv)
        case .schema: SchemaTarget.run(data)
        case .logLine: LogLineTarget.run(data)
        }
    }
}

/// libFuzzer's entry point. A crash, a sanitizer report, a hang, an allocation past the fuzzer's
/// limits or a broken promise (a trap with a message) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func hollowFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = FuzzTarget.selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
