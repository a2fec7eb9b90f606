// `HollowProfile scale [repeats]`: how the consumer side grows with the catalog's size
// (HOLLOW_BENCH_MOVIES / HOLLOW_BENCH_PEOPLE), in one process:
//
//     .build/release/HollowProfile prepare     # makes and caches the blobs, in a process of its own
//     .build/release/HollowProfile scale       # loads them: memory, load, index, delta, delta's peak
//
// Run `prepare` first: a `scale` that has to produce the blobs measures on a heap the producer has
// grown. The first load, index build and delta are measured once each, in the order a consumer
// meets them, for their memory; times are then the least of `repeats` runs (default 3), CPU / wall.
import CatalogFixture
import HollowCore
import RealDataFixture

func runScale(_ arguments: [String]) throws {
    let repeats = arguments.first.flatMap { Int($0) } ?? 3
    let parameters = CatalogParameters.fromEnvironment
    var cached: CatalogBlobs?
    // Seconds here, not milliseconds, mean the cache missed and this process produced the blobs.
    let ready = try BestTimes.of(1) { cached = try BlobCache.blobs(for: parameters) }
    let blobs = cached!
    print("scale \(parameters): blobs \(megabytes(blobs.snapshot1.count)) snapshot, \(megabytes(blobs.delta.count)) delta (LZ4), ready in \(ready.ms)")

    // Resident growth is the state's cost only if the heap starts trimmed (MemorySample.now trims).
    let empty = MemorySample.now().residentBytes
    PeakMemory.reset()
    var state1: ReadState?
    let firstLoad = try BestTimes.of(1) { state1 = try ReadState(snapshot: blobs.snapshot1) }
    let loadPeak = PeakMemory.peakResidentBytes() ?? 0
    let state = state1!
    let loaded = MemorySample.now().residentBytes
    let memory = state.memory
    let records = memory.types.reduce(0) { $0 + $1.recordCount }
    let movies = memory.types.first { $0.name == "Movie" }!
    let largest = memory.types.max { $0.totalBytes < $1.totalBytes }!
    print("state: \(records) records, memory.totalBytes \(megabytes(memory.totalBytes)) (\(perRecord(memory.totalBytes, records)) B/record,",
          "\(perRecord(memory.totalBytes, movies.recordCount)) B/movie); resident growth \(megabytes(loaded - empty))",
          "(\(perRecord(loaded - empty, movies.recordCount)) B/movie), load peak +\(megabytes(loadPeak - empty))")
    for type in memory.types {
        print("  \(type.name): \(type.recordCount) records, \(megabytes(type.totalBytes)), \(perRecord(type.totalBytes, type.recordCount)) B/record")
    }
    print("first load: \(firstLoad.ms) (CPU / wall)")

    var indexTime: BestTimes?
    if state.schema.object("Movie")?.primaryKey != nil {
        var index: PrimaryKeyIndex?
        indexTime = try BestTimes.of(1) { index = try PrimaryKeyIndex(state, type: "Movie") }
        print("Movie primary-key index: first build \(indexTime!.ms), \(megabytes(index!.memoryBytes))")
    }

    // The delta's peak: VmHWM brought down to the loaded state's resident set (clear_refs 5), so
    // that it no longer holds the load's own peak; the reset is checked, not assumed.
    let before = MemorySample.now().residentBytes
    let hwmBefore = PeakMemory.peakResidentBytes() ?? 0
    PeakMemory.reset()
    let hwmReset = PeakMemory.peakResidentBytes() ?? 0
    let resetWorked = hwmReset <= before + (1 << 20)
    var state2: ReadState?
    let firstDelta = try BestTimes.of(1) { state2 = try state.applying(delta: blobs.delta) }
    let deltaPeak = PeakMemory.peakResidentBytes() ?? 0
    let after = MemorySample.now().residentBytes
    print("VmHWM before reset \(megabytes(hwmBefore)), after reset \(megabytes(hwmReset)) (resident \(megabytes(before)));",
          resetWorked ? "reset works" : "RESET FAILED: the peak below includes the load's")
    print("first delta: \(firstDelta.ms) (CPU / wall); resident before \(megabytes(before)), peak \(megabytes(deltaPeak))",
          "(+\(megabytes(deltaPeak - before)), \(format(Double(deltaPeak - before) / Double(largest.totalBytes))) x \(largest.name)'s \(megabytes(largest.totalBytes))),",
          "both states held +\(megabytes(after - before))")
    keep(state2)
    state2 = nil

    // Times on a warm heap, least of `repeats`.
    let load = try BestTimes.of(repeats) { keep(try ReadState(snapshot: blobs.snapshot1)) }
    let index = try indexTime.map { _ in try BestTimes.of(repeats) { keep(try PrimaryKeyIndex(state, type: "Movie")) } }
    let delta = try BestTimes.of(repeats) { keep(try state.applying(delta: blobs.delta)) }
    print("least of \(repeats): load \(load.ms), index \(index?.ms ?? "n/a"), delta \(delta.ms) (CPU / wall)")
    var image: ImageStart?
    if state.schema.object("Movie")?.primaryKey != nil {
        image = try ImageStart.measure(state, index: try PrimaryKeyIndex(state, type: "Movie"), type: "Movie", id: 1, repeats: repeats)
        print("image of \(megabytes(image!.bytes)) written in \(image!.write.ms); opened (+ one lookup) with the structure check",
              "\(image!.structure.ms), unchecked \(image!.unchecked.ms) (CPU / wall)")
    }
    print("| movies | B/movie rec | B/state rec | load ms | index ms | delta ms | image open ms (checked / unchecked) | resident before | delta peak | extra / \(largest.name) |")
    print("| \(movies.recordCount) | \(perRecord(movies.totalBytes, movies.recordCount)) | \(perRecord(memory.totalBytes, records))",
          "| \(format(load.cpu * 1e3)) | \(index.map { format($0.cpu * 1e3) } ?? "n/a") | \(format(delta.cpu * 1e3))",
          "| \(image.map { "\(format($0.structure.wall * 1e3)) / \(format($0.unchecked.wall * 1e3))" } ?? "n/a")",
          "| \(megabytes(before)) | \(megabytes(deltaPeak)) | \(format(Double(deltaPeak - before) / Double(largest.totalBytes))) |")
}
