import CatalogFixture
import Foundation

/// The executable's own output: the summary as JSON on standard output, progress and errors on
/// standard error (so that the summary can be read by a script).
enum SoakOutput {
    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Heap bytes in use (every malloc arena): to tell a leak (heap grows) from fragmentation
    /// (resident memory grows, heap does not) when the script sees resident memory grow.
    static func heapInUse() -> Int { MemorySample.now(trim: false).heapBytes }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1_000 + Double(components.attoseconds) / 1e15
    }
}

/// p50, p99 and the worst of a list of milliseconds.
struct Percentiles: Encodable {
    let p50: Double
    let p99: Double
    let max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        func at(_ fraction: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
        }
        p50 = (at(0.50) * 100).rounded() / 100
        p99 = (at(0.99) * 100).rounded() / 100
        max = ((sorted.last ?? 0) * 100).rounded() / 100
    }
}
