// `HollowProfile realdata`: every figure of the real-data benchmarks in one table per dataset, for a
// quick run (docs/PERFORMANCE.md, "Real data"):
//
//     .build/release/HollowProfile realdata [debian|pypi|all] [repeats]   # the tables
//     .build/release/HollowProfile realdata-verify [debian|pypi|all]      # states read back == rows
//     .build/release/HollowProfile realdata-memory DATASET plain|shared|dictionary   # one memory figure, in a fresh process
//     .build/release/HollowProfile realdata-produce DATASET plain|shared [repeats]   # producer cycles, in a fresh process
//     .build/release/HollowProfile realdata-loop DATASET plain|shared OPERATION [count]   # one operation, for perf
//
// Times are the least of `repeats` runs (default 5), thread CPU time and wall clock each. Memory and
// the producer are measured in a child process per figure (`realdata-memory`, `realdata-produce`), so
// that every figure starts from a fresh heap.
import CatalogFixture
import Foundation
import HollowCore
import RealDataFixture

/// Least thread CPU time and least wall clock of a number of runs, in seconds.
struct BestTimes {
    var cpu = Double.infinity
    var wall = Double.infinity

    static func of(_ count: Int, _ body: () throws -> Void) rethrows -> BestTimes {
        var best = BestTimes()
        for _ in 0..<max(1, count) {
            let cpuStart = threadCPUNanoseconds()
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            best.wall = min(best.wall, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            best.cpu = min(best.cpu, Double(threadCPUNanoseconds() - cpuStart) / 1e9)
        }
        return best
    }

    /// "CPU / wall" in milliseconds.
    var ms: String { "\(format(cpu * 1e3)) / \(format(wall * 1e3)) ms" }
    /// "CPU / wall" in nanoseconds per `count`.
    func ns(per count: Int) -> String {
        "\(format(cpu * 1e9 / Double(max(1, count)))) / \(format(wall * 1e9 / Double(max(1, count)))) ns"
    }
}

func format(_ value: Double) -> String {
    if value >= 100 { return String(Int(value.rounded())) }
    if value >= 10 { return String(Double(Int((value * 10).rounded())) / 10) }
    return String(Double(Int((value * 100).rounded())) / 100)
}

func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1e6) + " MB" }

func perRecord(_ bytes: Int, _ records: Int) -> String { format(Double(bytes) / Double(max(1, records))) }

@inline(never) func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

/// The datasets named by an argument (`debian`, `pypi`, `all` or nothing).
func realDatasets(_ argument: String?) -> [Dataset] {
    guard let argument, argument != "all" else { return Dataset.allCases }
    guard let dataset = Dataset(rawValue: argument) else {
        FileHandle.standardError.write(Data("unknown dataset '\(argument)' (debian, pypi or all)\n".utf8))
        exit(2)
    }
    return [dataset]
}

func runRealData(_ command: String, _ arguments: [String]) throws {
    switch command {
    case "realdata":
        let repeats = arguments.dropFirst().first.flatMap { Int($0) } ?? 5
        print("load average: \(loadAverage())")
        for dataset in realDatasets(arguments.first) {
            switch dataset {
            case .debian: try realDataTable(DebianModel.self, repeats: repeats)
            case .pypi: try realDataTable(PyPIModel.self, repeats: repeats)
            }
        }
        print("load average: \(loadAverage())")
    case "realdata-verify":
        var failed = false
        for dataset in realDatasets(arguments.first) {
            switch dataset {
            case .debian: failed = try !realDataVerify(DebianModel.self) || failed
            case .pypi: failed = try !realDataVerify(PyPIModel.self) || failed
            }
        }
        failed = !verifyParserErrors() || failed
        if failed { exit(1) }
    case "realdata-memory":
        guard arguments.count == 2, let dataset = Dataset(rawValue: arguments[0]) else {
            FileHandle.standardError.write(Data("usage: realdata-memory debian|pypi plain|shared|dictionary\n".utf8))
            exit(2)
        }
        switch dataset {
        case .debian: try realDataMemory(DebianModel.self, arguments[1])
        case .pypi: try realDataMemory(PyPIModel.self, arguments[1])
        }
    case "realdata-produce":
        guard arguments.count >= 2, let dataset = Dataset(rawValue: arguments[0]), let mapping = Mapping(rawValue: arguments[1]) else {
            FileHandle.standardError.write(Data("usage: realdata-produce debian|pypi plain|shared [repeats]\n".utf8))
            exit(2)
        }
        let repeats = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5
        switch dataset {
        case .debian: try realDataProduce(DebianModel.self, mapping, repeats: repeats)
        case .pypi: try realDataProduce(PyPIModel.self, mapping, repeats: repeats)
        }
    case "realdata-loop":
        guard arguments.count >= 3, let dataset = Dataset(rawValue: arguments[0]), let mapping = Mapping(rawValue: arguments[1]) else {
            FileHandle.standardError.write(Data("usage: realdata-loop debian|pypi plain|shared load|index|lookup|ab-lookup|dictionary-lookup|lookup-hot|dictionary-lookup-hot|scan|delta|image|produce|produce-first|parse [count]\n".utf8))
            exit(2)
        }
        let count = arguments.dropFirst(3).first.flatMap { Int($0) } ?? 20
        switch dataset {
        case .debian: try realDataLoop(DebianModel.self, mapping, arguments[2], count: count)
        case .pypi: try realDataLoop(PyPIModel.self, mapping, arguments[2], count: count)
        }
    default:
        FileHandle.standardError.write(Data("unknown command \(command)\n".utf8))
        exit(2)
    }
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
        .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
}

func openSession<M: RealDataModel>(_ model: M.Type) -> RealDataSession<M>? {
    switch RealDataSession<M>.open() {
    case .success(let session): return session
    case .failure(let error):
        print("\(M.dataset.title): \(error)")
        return nil
    }
}

// MARK: - Memory, one figure per process

/// Prints one line `MEMORY key=value ...`: for a mapping, the state's own count and the heap and
/// resident growth while it loads, then the same for its primary-key index; for `dictionary`, the
/// growth while the rows are parsed from the text (already in memory) into the Dictionary.
func realDataMemory<M: RealDataModel>(_ model: M.Type, _ what: String) throws {
    guard let session = openSession(M.self) else { exit(3) }
    if what == "dictionary" {
        let text = try session.sourceText()
        let before = MemorySample.now()
        let dictionary = RealData.dictionary(try RealData.rows(M.self, from: text, file: session.source.path).rows)
        let growth = MemorySample.now().since(before)
        keep(text)
        print("MEMORY records=\(dictionary.count) heap=\(growth.heapBytes) rss=\(growth.residentBytes)")
        keep(dictionary)
        return
    }
    guard let mapping = Mapping(rawValue: what) else {
        FileHandle.standardError.write(Data("unknown mapping '\(what)' (plain, shared or dictionary)\n".utf8))
        exit(2)
    }
    let blob = try session.blobs(mapping).snapshot1
    session.dropSource()
    var checksum = 0
    for byte in blob where byte == 0x5A { checksum &+= 1 }  // resident before the first sample
    keep(checksum)
    // The code of the load and the index build is resident before the first sample too: its
    // pages (about 0.8 MB of the binary and liblz4) are the process's, not the state's. A load and
    // an index of the state, dropped, touch them (`HOLLOW_PROFILE_COLD=1` measures without).
    if ProcessInfo.processInfo.environment["HOLLOW_PROFILE_COLD"] != "1" {
        let warm = try ReadState(snapshot: blob)
        keep(try PrimaryKeyIndex(warm, type: M.recordType))
    }
    let before = MemorySample.now()
    let state = try ReadState(snapshot: blob)
    let loaded = MemorySample.now()
    let index = try PrimaryKeyIndex(state, type: M.recordType)
    let indexed = MemorySample.now()
    let stateGrowth = loaded.since(before), indexGrowth = indexed.since(loaded)
    let records = state.recordCount(M.recordType)
    print("MEMORY records=\(records) total=\(state.memory.totalBytes) heap=\(stateGrowth.heapBytes) rss=\(stateGrowth.residentBytes) indexHeap=\(indexGrowth.heapBytes) indexRss=\(indexGrowth.residentBytes)")
    for type in state.memory.types {
        let pools = type.pools.map { "\($0.name) \(megabytes($0.bytes))" }.joined(separator: ", ")
        print("TYPE \(type.name): \(type.recordCount) records, \(type.bitsPerRecord) bits each, \(megabytes(type.totalBytes))\(pools.isEmpty ? "" : " (pools: \(pools))")")
    }
    if ProcessInfo.processInfo.environment["HOLLOW_PROFILE_SMAPS"] == "1" { printLargeMappings() }
    keep(index)
    keep(blob)
}

/// The mappings of this process with more than 256 KiB resident: address range, Rss, and the
/// part on huge pages (`HOLLOW_PROFILE_SMAPS=1`, to see where resident memory beyond the
/// library's count goes).
func printLargeMappings() {
    guard let text = try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8) else { return }
    var header = ""
    var rss = 0
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = fields.first, first.contains("-"), !first.hasSuffix(":") {
            header = String(line)
        } else if fields.first == "Rss:" {
            rss = Int(fields[1]) ?? 0
        } else if fields.first == "AnonHugePages:", rss > 256 {
            print("SMAPS \(header.prefix(60)) rss \(rss) kB, huge \(fields[1]) kB")
        }
    }
}

/// Runs `command dataset what [repeats]` of this tool in a child process and returns the figures of
/// its line `PREFIX key=value ...` and its TYPE lines.
func child(_ command: String, _ dataset: Dataset, _ what: String, repeats: Int? = nil, prefix: String = "MEMORY") throws -> (figures: [String: Int], types: [String]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    process.arguments = [command, dataset.rawValue, what] + (repeats.map { [String($0)] } ?? [])
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0, let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix + " ") }) else {
        throw FixtureError("\(command) \(dataset) \(what) failed (status \(process.terminationStatus)): \(text)")
    }
    var figures: [String: Int] = [:]
    for pair in line.dropFirst(prefix.count + 1).split(separator: " ") {
        let parts = pair.split(separator: "=")
        if parts.count == 2, let value = Int(parts[1]) { figures[String(parts[0])] = value }
    }
    return (figures, text.split(separator: "\n").filter { $0.hasPrefix("TYPE ") }.map { String($0.dropFirst(5)) })
}

// MARK: - One operation in a loop, for perf

/// Prepares everything first, then runs one operation `count` times and prints the least time:
/// `perf record -g .build/release/HollowProfile realdata-loop pypi plain index 30`.
func realDataLoop<M: RealDataModel>(_ model: M.Type, _ mapping: Mapping, _ operation: String, count: Int) throws {
    guard let session = openSession(M.self) else { exit(3) }
    let blobs = try session.blobs(mapping)
    var body: () throws -> Void
    var unit = 1
    switch operation {
    case "load": body = { keep(try ReadState(snapshot: blobs.snapshot1)) }
    case "index":
        let state = try session.firstState(mapping).state
        body = { keep(try PrimaryKeyIndex(state, type: M.recordType)) }
    case "lookup":
        let (state, index) = try session.firstState(mapping)
        let lookup = try VersionLookup(state, index: index, type: M.recordType)
        let keys = try session.lookupKeys()
        unit = keys.count
        body = { keep(M.lookupVersion(lookup, mapping, keys, from: 0, count: keys.count)) }
    case "lookup-hot", "dictionary-lookup-hot":
        // 1,000 keys looked up over and over: their records, slots and buckets stay in cache, so
        // what is left is the work of a lookup, without its cache misses.
        let hot = Array(try session.lookupKeys().prefix(1_000))
        let keys = Array(repeatElement(hot, count: 1_000).joined())
        unit = keys.count
        if operation == "lookup-hot" {
            let (state, index) = try session.firstState(mapping)
            let lookup = try VersionLookup(state, index: index, type: M.recordType)
            body = { keep(M.lookupVersion(lookup, mapping, keys, from: 0, count: keys.count)) }
        } else {
            let dictionary = try session.baseline()
            body = { keep(M.lookupVersion(dictionary, keys, from: 0, count: keys.count)) }
        }
    case "dictionary-lookup":
        let dictionary = try session.baseline()
        let keys = RealData.requestKeys(Array(dictionary.keys))
        unit = keys.count
        body = { keep(M.lookupVersion(dictionary, keys, from: 0, count: keys.count)) }
    case "ab-lookup":
        // The read state and the Dictionary in alternating rounds over the same keys, so that
        // both see the same machine load; `count` rounds, medians compared.
        let (state, index) = try session.firstState(mapping)
        let lookup = try VersionLookup(state, index: index, type: M.recordType)
        let dictionary = try session.baseline()
        let keys = try session.lookupKeys()
        var hollow: [Double] = [], baseline: [Double] = []
        for _ in 0..<max(count, 1) {
            hollow.append(BestTimes.of(1) { keep(M.lookupVersion(lookup, mapping, keys, from: 0, count: keys.count)) }.cpu)
            baseline.append(BestTimes.of(1) { keep(M.lookupVersion(dictionary, keys, from: 0, count: keys.count)) }.cpu)
        }
        hollow.sort()
        baseline.sort()
        func ns(_ seconds: Double) -> String { String(format: "%.0f ns", seconds * 1e9 / Double(keys.count)) }
        print("\(M.dataset) \(mapping) ab-lookup, \(hollow.count) alternating rounds of \(keys.count) lookups, CPU per lookup:",
              "read state min \(ns(hollow[0])) median \(ns(hollow[hollow.count / 2]));",
              "Dictionary min \(ns(baseline[0])) median \(ns(baseline[baseline.count / 2]));",
              String(format: "ratio of medians %.2f", hollow[hollow.count / 2] / baseline[baseline.count / 2]))
        return
    case "scan":
        let state = try session.firstState(mapping).state
        let fields = try ScanFields(state, type: M.recordType, number: M.scanNumberField)
        unit = fields.records.recordCount
        body = { keep(M.scan(fields, mapping)) }
    case "delta":
        let state = try session.firstState(mapping).state
        body = { keep(try state.applying(delta: blobs.delta)) }
    case "image":
        // The load + index a consumer does without an image, beside the image's open.
        let (state, index) = try session.firstState(mapping)
        let key = try session.lookupKeys()[0]
        let blobStart = try BestTimes.of(count) {
            let loaded = try ReadState(snapshot: blobs.snapshot1)
            keep(try PrimaryKeyIndex(loaded, type: M.recordType).ordinal(key))
        }
        let image = try ImageStart.measure(state, index: index, type: M.recordType, key: key, repeats: count)
        print("\(M.dataset) \(mapping) start-up, least of \(count) (CPU / wall): load + primary-key index \(blobStart.ms);",
              "image of \(megabytes(image.bytes)) written in \(image.write.ms), opened with the structure check \(image.structure.ms),",
              "unchecked \(image.unchecked.ms) (each with one lookup)")
        // Lookups on the mapped state (4 KiB pages of the page cache) and on the loaded one.
        let keys = try session.lookupKeys()
        let loaded = try VersionLookup(state, index: index, type: M.recordType)
        let onHeap = BestTimes.of(count) { keep(M.lookupVersion(loaded, mapping, keys, from: 0, count: keys.count)) }
        var mapped = BestTimes()
        try ImageStart.withImage(state, index: index, type: M.recordType) { image in
            let lookup = try VersionLookup(image.state, index: image.primaryKeyIndexes[M.recordType]!, type: M.recordType)
            mapped = BestTimes.of(count) { keep(M.lookupVersion(lookup, mapping, keys, from: 0, count: keys.count)) }
        }
        print("lookup by name + the version's bytes: loaded \(onHeap.ns(per: keys.count)), mapped image \(mapped.ns(per: keys.count))")
        return
    case "produce":
        let cycles = try session.rows()
        let state = WriteState(schema: try M.schema(mapping))
        _ = try RealData.cycle(M.self, state, cycles.first, mapping: mapping)
        var flip = false
        body = {
            keep(try RealData.cycle(M.self, state, flip ? cycles.first : cycles.second, mapping: mapping))
            flip.toggle()
        }
    case "produce-first":
        let cycles = try session.rows()
        let schema = try M.schema(mapping)
        body = { keep(try RealData.cycle(M.self, WriteState(schema: schema), cycles.first, mapping: mapping)) }
    case "parse":
        let text = try session.sourceText()
        body = { keep(try RealData.rows(M.self, from: text, file: session.source.path)) }
    default:
        FileHandle.standardError.write(Data("unknown operation \(operation)\n".utf8))
        exit(2)
    }
    let best = try BestTimes.of(count, body)
    print("\(M.dataset) \(mapping) \(operation): least of \(count): \(unit == 1 ? best.ms : best.ns(per: unit)) (CPU / wall)")
}

// MARK: - Producer, in a process of its own

/// Prints `PRODUCE key=value ...`: the resident memory with the rows of both cycles parsed (the
/// source text dropped), then a first cycle (time, peak resident), then `repeats` cycles of the 1%
/// change (second, first, second, ...: each a delta from the one before; least time, peak resident).
func realDataProduce<M: RealDataModel>(_ model: M.Type, _ mapping: Mapping, repeats: Int) throws {
    guard let session = openSession(M.self) else { exit(3) }
    let cycles = try session.rows()
    session.dropSource()
    let state = WriteState(schema: try M.schema(mapping))
    let before = MemorySample.now().residentBytes
    PeakMemory.reset()
    let first = try BestTimes.of(1) { keep(try RealData.cycle(M.self, state, cycles.first, mapping: mapping)) }
    let firstPeak = PeakMemory.peakResidentBytes() ?? 0
    PeakMemory.reset()
    var flip = false
    let change = try BestTimes.of(repeats) {
        keep(try RealData.cycle(M.self, state, flip ? cycles.first : cycles.second, mapping: mapping))
        flip.toggle()
    }
    let changePeak = PeakMemory.peakResidentBytes() ?? 0
    func ns(_ seconds: Double) -> Int { Int(seconds * 1e9) }
    print("PRODUCE before=\(before) firstCpu=\(ns(first.cpu)) firstWall=\(ns(first.wall)) firstPeak=\(firstPeak) changeCpu=\(ns(change.cpu)) changeWall=\(ns(change.wall)) changePeak=\(changePeak)")
}

// MARK: - The table

struct ConsumerTimes { var load, index, startup, lookup, scan, delta: BestTimes; var records: Int }

func realDataTable<M: RealDataModel>(_ model: M.Type, repeats: Int) throws {
    guard let session = openSession(M.self) else { return }
    let source = session.source
    print("\n## \(M.dataset.title): \(source.path)")

    // Source: reading (and decompressing), parsing.
    var text: [UInt8] = []
    let read = try BestTimes.of(1) { text = try source.contents() }
    var parsed: (rows: [M.Row], duplicates: [String]) = ([], [])
    let parse = try BestTimes.of(repeats) { parsed = try RealData.rows(M.self, from: text, file: source.path) }
    text = []
    let cycles = try session.rows()
    print("file: \(megabytes(source.byteCount)) on disk, \(megabytes(try session.sourceText().count)) of text; \(cycles.first.count) records",
          cycles.duplicates.isEmpty ? "" : "(\(cycles.duplicates.count) later stanzas of a name dropped: \(Set(cycles.duplicates).sorted().joined(separator: ", ")))")
    print("second cycle: \(cycles.second.count) records; \(cycles.change)")
    keep(parsed)
    parsed = ([], [])

    // Blobs (from the cache, or written now).
    var blobs: [Mapping: RealDataBlobs] = [:]
    for mapping in Mapping.allCases { blobs[mapping] = try session.blobs(mapping) }

    // Memory, each figure in a fresh process.
    var memory: [String: [String: Int]] = [:]
    var typeLines: [Mapping: [String]] = [:]
    for what in ["dictionary"] + Mapping.allCases.map(\.rawValue) {
        let (figures, types) = try child("realdata-memory", M.dataset, what)
        memory[what] = figures
        if let mapping = Mapping(rawValue: what) { typeLines[mapping] = types }
    }

    // Consumer.
    let keys = try session.lookupKeys()
    var consumer: [Mapping: ConsumerTimes] = [:]
    for mapping in Mapping.allCases {
        let blob = blobs[mapping]!
        let (state, index) = try session.firstState(mapping)
        let load = try BestTimes.of(repeats) { keep(try ReadState(snapshot: blob.snapshot1)) }
        let indexTime = try BestTimes.of(repeats) { keep(try PrimaryKeyIndex(state, type: M.recordType)) }
        let startup = try BestTimes.of(repeats) {
            let loaded = try ReadState(snapshot: blob.snapshot1)
            keep(try PrimaryKeyIndex(loaded, type: M.recordType))
        }
        let lookup = try VersionLookup(state, index: index, type: M.recordType)
        var sum = 0
        let lookups = BestTimes.of(repeats) { sum &+= M.lookupVersion(lookup, mapping, keys, from: 0, count: keys.count).sum }
        let fields = try ScanFields(state, type: M.recordType, number: M.scanNumberField)
        let scan = BestTimes.of(repeats) { sum &+= M.scan(fields, mapping) }
        let delta = try BestTimes.of(repeats) { keep(try state.applying(delta: blob.delta)) }
        keep(sum)
        consumer[mapping] = ConsumerTimes(load: load, index: indexTime, startup: startup, lookup: lookups, scan: scan, delta: delta,
                                     records: state.recordCount(M.recordType))
    }
    let dictionary = try session.baseline()
    var sum = 0
    let dictionaryLookup = BestTimes.of(repeats) { sum &+= M.lookupVersion(dictionary, keys, from: 0, count: keys.count).sum }
    let dictionaryScan = BestTimes.of(repeats) { sum &+= M.scanTwoFields(dictionary) }
    keep(sum)

    // Producer, in a child process per mapping (its peak memory is its own).
    var producer: [Mapping: [String: Int]] = [:]
    for mapping in Mapping.allCases {
        producer[mapping] = try child("realdata-produce", M.dataset, mapping.rawValue, repeats: repeats, prefix: "PRODUCE").figures
    }

    // The table.
    let records = cycles.first.count
    let plain = Mapping.plain, shared = Mapping.shared
    func row(_ label: String, _ plainText: String, _ sharedText: String, _ dictionaryText: String = "") {
        print("| \(label) | \(plainText) | \(sharedText) | \(dictionaryText) |")
    }
    func memoryCell(_ what: String, _ key: String) -> String {
        let bytes = memory[what]?[key] ?? 0
        return "\(megabytes(bytes)), \(perRecord(bytes, records)) B/record"
    }
    print("\nrecords: \(records); source read in \(format(read.wall * 1e3)) ms (wall, lz4cat for .lz4 included), parsed in \(parse.ms) (CPU / wall, best of \(repeats))")
    print("\n| measure (CPU / wall; least of \(repeats)) | Hollow, plain strings | Hollow, shared strings | Dictionary |")
    print("| --- | --- | --- | --- |")
    row("memory: library's count (`memory.totalBytes`)", memoryCell("plain", "total"), memoryCell("shared", "total"))
    row("memory: heap growth", memoryCell("plain", "heap"), memoryCell("shared", "heap"), memoryCell("dictionary", "heap"))
    row("memory: resident growth", memoryCell("plain", "rss"), memoryCell("shared", "rss"), memoryCell("dictionary", "rss"))
    row("memory: primary-key index, heap / resident", "\(megabytes(memory["plain"]?["indexHeap"] ?? 0)) / \(megabytes(memory["plain"]?["indexRss"] ?? 0))",
        "\(megabytes(memory["shared"]?["indexHeap"] ?? 0)) / \(megabytes(memory["shared"]?["indexRss"] ?? 0))")
    row("snapshot load", consumer[plain]!.load.ms, consumer[shared]!.load.ms)
    row("primary-key index build", consumer[plain]!.index.ms, consumer[shared]!.index.ms)
    row("start-up: load + index", consumer[plain]!.startup.ms, consumer[shared]!.startup.ms, "parse: \(parse.ms)")
    row("lookup by name + version's bytes, per lookup", consumer[plain]!.lookup.ns(per: keys.count), consumer[shared]!.lookup.ns(per: keys.count),
        dictionaryLookup.ns(per: keys.count))
    row("scan of \(M.scanNumberField) + version length, per record", consumer[plain]!.scan.ns(per: records), consumer[shared]!.scan.ns(per: records),
        dictionaryScan.ns(per: dictionary.count))
    row("delta apply (1% change)", consumer[plain]!.delta.ms, consumer[shared]!.delta.ms)
    func sizes(_ blob: [UInt8]) -> String { "\(megabytes(blob.count)) (\(megabytes(lz4ContentSize(blob) ?? 0)))" }
    row("snapshot, compressed (uncompressed)", sizes(blobs[plain]!.snapshot1), sizes(blobs[shared]!.snapshot1))
    func kilobytes(_ blob: [UInt8]) -> String { "\(format(Double(blob.count) / 1e3)) KB (\(format(Double(lz4ContentSize(blob) ?? 0) / 1e3)) KB)" }
    row("delta, compressed (uncompressed)", kilobytes(blobs[plain]!.delta), kilobytes(blobs[shared]!.delta))
    func cycleTime(_ mapping: Mapping, _ key: String) -> String {
        let figures = producer[mapping] ?? [:]
        return "\(format(Double(figures[key + "Cpu"] ?? 0) / 1e6)) / \(format(Double(figures[key + "Wall"] ?? 0) / 1e6)) ms"
    }
    row("producer: first cycle (populate + write blobs + commit)", cycleTime(plain, "first"), cycleTime(shared, "first"))
    row("producer: 1% change cycle", cycleTime(plain, "change"), cycleTime(shared, "change"))
    func peak(_ mapping: Mapping) -> String {
        let figures = producer[mapping] ?? [:]
        let before = figures["before"] ?? 0, state = memory[mapping.rawValue]?["total"] ?? 1
        let first = (figures["firstPeak"] ?? 0) - before, change = (figures["changePeak"] ?? 0) - before
        return "+\(megabytes(first)) / +\(megabytes(change)) = \(format(Double(first) / Double(state)))x / \(format(Double(change) / Double(state)))x the state"
    }
    row("producer: peak resident above the parsed rows, first / change cycles", peak(plain), peak(shared))
    for mapping in Mapping.allCases {
        print("\n\(mapping) state, per type:")
        for line in typeLines[mapping] ?? [] { print("  \(line)") }
    }
}

// MARK: - Verify

/// The states read back equal the rows: the first snapshot the first cycle, the state reached by
/// the delta and the second snapshot the second cycle, the reverse delta the first cycle again.
func realDataVerify<M: RealDataModel>(_ model: M.Type) throws -> Bool {
    guard let session = openSession(M.self) else { return true }
    let cycles = try session.rows()
    print("\(M.dataset.title): \(cycles.first.count) records, then \(cycles.second.count) (\(cycles.change))")
    var passed = true
    for mapping in Mapping.allCases {
        let blobs = try session.blobs(mapping)
        let state1 = try ReadState(snapshot: blobs.snapshot1)
        let viaDelta = try state1.applying(delta: blobs.delta)
        let state2 = try ReadState(snapshot: blobs.snapshot2)
        let back = try viaDelta.applying(delta: blobs.reverseDelta)
        for (label, state, rows) in [("snapshot 1", state1, cycles.first), ("snapshot 1 + delta", viaDelta, cycles.second),
                                     ("snapshot 2", state2, cycles.second), ("snapshot 1 + delta + reverse delta", back, cycles.first)] {
            let (checked, mismatches) = try RealData.verify(M.self, state, rows: rows, mapping: mapping)
            print("  \(mapping), \(label): \(checked) rows compared field by field, \(mismatches.count) mismatches")
            for mismatch in mismatches.prefix(5) { print("    \(mismatch)") }
            if !mismatches.isEmpty { passed = false }
        }
        // The primary-key index, built on each state and carried along the delta and back: every
        // row's name leads to the record of that name, and names not in the data to nothing.
        let index1 = try PrimaryKeyIndex(state1, type: M.recordType)
        let index2 = try index1.updated(to: viaDelta)
        for (label, index, rows) in [("snapshot 1", index1, cycles.first), ("snapshot 1 + delta, updated", index2, cycles.second),
                                     ("snapshot 2", try PrimaryKeyIndex(state2, type: M.recordType), cycles.second),
                                     ("snapshot 1 + delta + reverse delta, updated", try index2.updated(to: back), cycles.first)] {
            let records = index.state.objectType(M.recordType)!
            let name = records.field("name")!
            var wrong = 0
            for row in rows {
                guard let ordinal = index.ordinal(row.name), records.string(ordinal, name) == row.name else {
                    if wrong < 5 { print("    \(row.name): not found or found at another record") }
                    wrong += 1
                    continue
                }
            }
            let absent = rows.prefix(1000).filter { index.ordinal($0.name + "\u{1}") != nil }.count
            print("  \(mapping), \(label): \(rows.count) names looked up, \(wrong) wrong; \(absent) of 1,000 absent names found")
            if wrong + absent > 0 { passed = false }
        }
    }
    return passed
}

/// Malformed inputs give an error naming the right line, never a crash.
func verifyParserErrors() -> Bool {
    let stanza = "Package: a\nVersion: 1\nArchitecture: all\nMaintainer: M <m@x>\nSection: misc\nPriority: optional\nSize: 10\nSHA256: \(String(repeating: "ab", count: 32))\nDescription: d\n"
    let cases: [(String, String, Int)] = [
        ("debian", stanza + "\n" + stanza.replacingOccurrences(of: "Size: 10", with: "Size: ten"), 17),
        ("debian", stanza + "\n" + stanza.replacingOccurrences(of: "Architecture: all\n", with: ""), 11),
        ("debian", stanza + "no colon here\n", 10),
        ("debian", " continued\n" + stanza, 1),
        ("debian", stanza.replacingOccurrences(of: "Description: d", with: "Depends: a, , b\nDescription: d"), 9),
        ("debian", stanza + "Version: 2\n", 10),
        ("pypi", PyPIParser.header + "\na\t1\t2024-01\t\tok\nb\t1\t2024-01\n", 3),
        ("pypi", PyPIParser.header + "\na\t1\t2024-01\tx\tbad rank\n", 2),
        ("pypi", "name\tversion\n", 1),
        ("pypi", PyPIParser.header + "\na\t1\t2024-01\t\tok\n\t1\t2024-01\t\tno name\n", 3),
    ]
    var passed = true
    for (format, text, line) in cases {
        do {
            if format == "debian" { _ = try DebianIndexParser.parse(Array(text.utf8), file: "sample") }
            else { _ = try PyPIParser.parse(Array(text.utf8), file: "sample") }
            print("parser check: no error for a malformed \(format) sample (expected line \(line))")
            passed = false
        } catch let error as RealDataError where error.line == line {
            print("parser check: \(error)")
        } catch {
            print("parser check: wrong error for a \(format) sample (expected line \(line)): \(error)")
            passed = false
        }
    }
    // Invalid UTF-8.
    do {
        _ = try PyPIParser.parse(Array((PyPIParser.header + "\na\t1\t2024-01\t\t").utf8) + [0xFF, 0x0A], file: "sample")
        print("parser check: invalid UTF-8 accepted"); passed = false
    } catch let error as RealDataError where error.line == 2 { print("parser check: \(error)") } catch { print("parser check: \(error)"); passed = false }
    print("parser checks: \(passed ? "passed" : "FAILED")")
    return passed
}
