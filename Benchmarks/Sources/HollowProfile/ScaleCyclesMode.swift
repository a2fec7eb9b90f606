// `HollowProfile scale-cycles [cycles]`: what a consumer pays for each delta of a producer that
// runs for many cycles (default 12) over the catalog (HOLLOW_BENCH_MOVIES / HOLLOW_BENCH_PEOPLE),
// each cycle changing 1% of the movies (a third removed, a third modified, a third added):
//
//     HOLLOW_BENCH_MOVIES=1000000 HOLLOW_BENCH_PEOPLE=200000 .build/release/HollowProfile scale-cycles 12
//
// Producer and consumer run in this one process, in turn. For each delta: its size, the time to
// apply it, the peak resident set while it is applied above the resident set before (VmHWM reset
// first), the bytes of the new state its origin does not hold (`ReadState.bytesNotShared`), and
// the same for the baseline: the catalog's `Dictionary` of structs, copied and changed while
// readers hold the old one (what a service that swaps a dictionary pays).
import CatalogFixture
import HollowCore
import RealDataFixture

func runScaleCycles(_ arguments: [String]) throws {
    let cycles = arguments.first.flatMap { Int($0) } ?? 12
    let parameters = CatalogParameters.fromEnvironment
    var catalog = Catalog(parameters)
    let writer = WriteState(schema: try HollowCatalog.schema())
    try writer.beginCycle()
    try HollowCatalog.populate(writer, with: catalog)
    guard let first = try writer.writeBlobs() else { throw FixtureError("the first cycle wrote nothing") }
    writer.commit()
    var consumer = try ReadState(snapshot: first.snapshot)
    var baseline = DictionaryBaseline.build(catalog)
    let memory = consumer.memory
    let largest = memory.types.max { $0.totalBytes < $1.totalBytes }!
    print("scale-cycles \(parameters): state \(megabytes(memory.totalBytes)); \(largest.name) \(megabytes(largest.totalBytes)) in \(largest.shardCount) shards;",
          memory.types.filter { $0.shardCount > 1 }.map { "\($0.name) \($0.shardCount) shards" }.joined(separator: ", "))
    print("| cycle | delta | apply ms (CPU) | peak above resident | new bytes | new / \(largest.name) | Dictionary: copy+change ms | peak above resident | Movie ordinals |")
    var worst = 0.0
    for cycle in 1...cycles {
        let (next, _) = catalog.nextCycle(cycle: UInt64(cycle))
        try writer.beginCycle()
        try HollowCatalog.populate(writer, with: next)
        guard let blobs = try writer.writeBlobs(), let delta = blobs.delta else { throw FixtureError("cycle \(cycle) wrote no delta") }
        writer.commit()

        let before = MemorySample.now().residentBytes
        PeakMemory.reset()
        var applied: ReadState?
        let apply = try BestTimes.of(1) { applied = try consumer.applying(delta: delta) }
        let peak = (PeakMemory.peakResidentBytes() ?? 0) - before
        let newBytes = applied!.bytesNotShared(with: consumer)
        let ratio = Double(newBytes) / Double(largest.totalBytes)
        worst = max(worst, ratio)

        // The baseline: readers hold `baseline` while the next dictionary is made from it.
        let old = catalog.movies.reduce(into: [Int64: Catalog.Movie]()) { $0[$1.id] = $1 }
        let changed = next.movies.filter { old[$0.id] != $0 }
        let gone = Set(old.keys).subtracting(next.movies.map(\.id))
        let nextBaseline = DictionaryBaseline.build(Catalog(changing: catalog, movies: changed))
        let dictionaryBefore = MemorySample.now().residentBytes
        PeakMemory.reset()
        var updated: [Int64: MovieStruct] = [:]
        let dictionaryTime = BestTimes.of(1) {
            updated = baseline
            for id in gone { updated[id] = nil }
            for (id, movie) in nextBaseline { updated[id] = movie }
        }
        let dictionaryPeak = (PeakMemory.peakResidentBytes() ?? 0) - dictionaryBefore
        print("| \(cycle) | \(megabytes(delta.count)) | \(format(apply.cpu * 1e3)) | \(megabytes(peak)) | \(megabytes(newBytes)) | \(format(ratio))",
              "| \(format(dictionaryTime.cpu * 1e3)) | \(megabytes(dictionaryPeak)) | \(applied!.memory.types.first { $0.name == "Movie" }!.ordinalCount) |")
        keep(baseline)
        baseline = updated
        consumer = applied!
        catalog = next
    }
    print("largest new bytes of a delta: \(format(worst)) x \(largest.name)")
}
