import Foundation
import HollowCore
import PropertyBased
import Testing
@testable import Hollow

/// The short version of `scripts/soak.sh` (docs/PERFORMANCE.md, "Soak"): a producer and a consumer
/// on files in one process, for a few hundred cycles. What the long soak samples from /proc, this
/// checks exactly, at every cycle. The memory of the read state across many deltas is
/// `MemoryStabilityTests`'.
@Suite struct FileSoakTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd"), "descriptors are counted in /proc/self/fd"))
    func hundredsOfCyclesOnFilesLeakNoDescriptorKeepTheBlobsBoundedAndRefreshByDeltas() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let store = try FileSystemBlobStore(directory: directory.path + "/blobs")
        let log = try FileSystemAnnouncementLog(file: directory.path + "/announcements.jsonl")
        let snapshotEvery = 10, snapshotsToKeep = 3
        let producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log,
                                configuration: .init(producerID: "soak", snapshotEvery: snapshotEvery, snapshotsToKeep: snapshotsToKeep),
                                logger: quiet)
        let consumer = Consumer(blobStore: store, announcementLog: log, configuration: .init(indexes: [.primaryKey("Movie")]), logger: quiet)
        let openBefore = DescriptorCount.into(directory.path)
        // The count sees a descriptor into the directory, and only while it is open.
        #expect(FileManager.default.createFile(atPath: directory.path + "/probe", contents: nil))
        let probe = try #require(FileHandle(forReadingAtPath: directory.path + "/probe"))
        #expect(DescriptorCount.into(directory.path) == openBefore + 1)
        try probe.close()
        try FileManager.default.removeItem(atPath: directory.path + "/probe")
        #expect(DescriptorCount.into(directory.path) == openBefore)
        var generator = Xoshiro(seed: 13)
        var movies = TestCatalog.movies(300)
        var blobBytes: [Int] = []
        let cycles = 300
        for cycle in 1...cycles {
            if cycle > 1 { TestCatalog.change(&movies, percent: 1, stamp: Int32(cycle), using: &generator) }
            #expect(try await producer.cycle(movies) == UInt64(cycle))
            // Every third cycle the consumer falls one version behind: it catches up by two deltas.
            if cycle % 3 == 1, cycle > 1, cycle < cycles { continue }
            let report = try await consumer.refresh()
            let kinds = report.steps.map(\.kind)
            if cycle == 1 {
                #expect(kinds == [.snapshot])
            } else {
                #expect(!kinds.isEmpty && kinds.allSatisfy { $0 == .delta }, "cycle \(cycle): \(report.path)")
            }
            // Between cycles nothing holds a file of the store or the log open.
            #expect(DescriptorCount.into(directory.path) == openBefore, "cycle \(cycle)")

            // The cleaner kept the blobs of the last snapshots and the versions after the oldest
            // of them, and nothing else (no temporary file either).
            let history = try await log.history()
            let snapshots = history.announcements.filter { $0.snapshot != nil }.map(\.version)
            let oldestKept = snapshots.count > snapshotsToKeep ? snapshots[snapshots.count - snapshotsToKeep] : 0
            let kept = Set(history.announcements.filter { $0.version >= oldestKept }
                .flatMap { [$0.snapshot, $0.delta, $0.reverseDelta].compactMap { $0?.name.text } })
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/blobs")
            #expect(Set(files) == kept, "cycle \(cycle)")
            #expect(files.count <= snapshotsToKeep + 2 * snapshotsToKeep * snapshotEvery)
            blobBytes.append(try files.reduce(0) { total, name in
                total + (try FileManager.default.attributesOfItem(atPath: directory.path + "/blobs/" + name)[.size] as! Int)
            })
            await Task.yield()  // a long loop: let the parallel suite's other tasks run
        }
        #expect(consumer.currentVersion == UInt64(cycles))
        #expect(TestCatalog.movies(in: consumer.current!.readState) == movies)
        // Disk use bounded: no more in the second half of the run than in the first, give or take
        // the dataset's slow drift.
        let half = blobBytes.count / 2
        let firstHalf = blobBytes[..<half].max()!, secondHalf = blobBytes[half...].max()!
        #expect(Double(secondHalf) <= Double(firstHalf) * 1.10, "\(firstHalf) bytes at most in the first half, \(secondHalf) in the second")
        #expect(DescriptorCount.into(directory.path) == openBefore)
    }
}

/// Descriptors of this process open on files under a directory. Tests run in parallel in one
/// process, so counting every descriptor would count theirs: only links into `directory` count.
enum DescriptorCount {
    static func into(_ directory: String) -> Int {
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path + "/"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.filter { entry in
            // A descriptor closed since the listing has no link any more: it is not open.
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry) else { return false }
            return target.hasPrefix(resolved)
        }.count
    }
}
