import Foundation
import HollowCore
import PropertyBased
import Testing
@testable import Hollow

/// Each step of a producer's cycle on files made to fail, one at a time and on purpose: the n-th
/// open, read, write, fsync, rename, lock, unlink, mkdir and truncate of the cycle (blob writes,
/// the lease, the log's append, the cleaner) fails with EIO, a write having put half its bytes
/// down. Afterwards the log reads whole, nothing announced is lost, every announced version loads
/// with the content it was announced with, a consumer keeps its state and follows, and the next
/// cycle of the same producer succeeds.
@Suite struct FileFaultInjectionTests {
    @Test func aFailedStepLosesNothingAndTheNextCycleSucceeds() async throws {
        // The file steps of one cycle (a snapshot, a delta and a reverse delta written, the
        // cleaner deleting the blobs of a snapshot it no longer keeps), counted on a store of its own.
        let counting = try await FaultRig.make()
        for step in FailPoints.Step.allCases { FailPoints.arm(.init(step, path: counting.directory, action: .count)) }
        _ = try await counting.nextCycle()
        try await counting.settle()
        let steps = FailPoints.counts(path: counting.directory)
        FailPoints.disarm(path: counting.directory)
        counting.remove()
        // The suite would prove little if a cycle did not reach these steps.
        for step: FailPoints.Step in [.open, .read, .write, .fsync, .rename, .lock, .unlink] {
            #expect((steps[step] ?? 0) > 0, "a cycle made no \(step) call")
        }

        var failedCycles = 0
        for step in FailPoints.Step.allCases {
            for occurrence in 1...max(1, steps[step] ?? 0) {
                let fault = "\(step) #\(occurrence) failing with EIO"
                if try await failing(step, occurrence: occurrence, fault) { failedCycles += 1 }
            }
        }
        // Most steps of a cycle cannot fail without failing it (the cleaner's may).
        #expect(failedCycles > 0)
        let total = steps.values.reduce(0, +)
        print("file steps of a cycle failed one at a time: \(total) (\(steps.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))); cycles failed by it: \(failedCycles)")
    }

    /// Runs a cycle with one step failing, checks the store, and runs the next cycle; whether the
    /// failed cycle failed.
    private func failing(_ step: FailPoints.Step, occurrence: Int, _ fault: String) async throws -> Bool {
        let rig = try await FaultRig.make()
        defer { rig.remove() }
        FailPoints.arm(.init(step, path: rig.directory, occurrence: occurrence, action: .fail(.ioError)))
        let outcome: Result<UInt64?, ProducerError>
        do { outcome = .success(try await rig.nextCycle()) } catch { outcome = .failure(error) }
        FailPoints.disarm(path: rig.directory)
        try await rig.settle()

        await rig.checkStore(after: "\(fault) (the cycle: \(outcome))")
        if case .failure(.leadershipLost) = outcome { _ = try await rig.producer.waitForLeadership() }
        if case .failure(.notLeader) = outcome { _ = try await rig.producer.waitForLeadership() }
        let next: UInt64
        do {
            guard let version = try await rig.nextCycle() else {
                Issue.record("after \(fault): the next cycle announced nothing")
                return true
            }
            next = version
            try await rig.settle()
        } catch {
            Issue.record("after \(fault) (the cycle: \(outcome)): the next cycle failed: \(error)")
            return true
        }
        await rig.checkStore(after: "the cycle after \(fault)")
        do { try await rig.consumer.refresh() } catch { Issue.record("after \(fault): the consumer cannot follow: \(error)") }
        #expect(rig.consumer.currentVersion == next, "after \(fault)")
        #expect(TestCatalog.movies(in: rig.consumer.current!.readState) == rig.moviesOf[next], "after \(fault)")
        if case .failure = outcome { return true }
        return false
    }

    /// A consumer whose reads fail keeps the state it serves, and follows once they succeed.
    @Test(arguments: [1, 2, 3])
    func aConsumerWhoseReadsFailKeepsItsState(occurrence: Int) async throws {
        let rig = try await FaultRig.make()
        defer { rig.remove() }
        let before = rig.consumer.currentVersion
        let version = try #require(try await rig.nextCycle())
        try await rig.settle()
        FailPoints.arm(.init(.read, path: rig.directory + "/blobs", occurrence: occurrence, action: .fail(.ioError)))
        FailPoints.arm(.init(.open, path: rig.directory + "/blobs", occurrence: occurrence, action: .fail(.ioError)))
        _ = try? await rig.consumer.refresh()
        FailPoints.disarm(path: rig.directory + "/blobs")
        #expect(rig.consumer.currentVersion == before || rig.consumer.currentVersion == version)
        try await rig.consumer.refresh()
        #expect(rig.consumer.currentVersion == version)
        #expect(TestCatalog.movies(in: rig.consumer.current!.readState) == rig.moviesOf[version])
    }
}

/// A store on files with four announced versions (snapshots at 1 and 3), so that the next cycle
/// writes a snapshot, a delta and a reverse delta, and the cleaner deletes the blobs of version 1, its elected producer and a consumer on the
/// last version. Versions are recorded with the movies they were announced with.
final class FaultRig: @unchecked Sendable {
    let directory: String
    let producer: Producer
    let consumer: Consumer
    let log: FileSystemAnnouncementLog
    let store: FileSystemBlobStore
    private(set) var movies = TestCatalog.movies(40)
    /// The movies of every version announced or tried: a version found in the log must hold these.
    private(set) var moviesOf: [UInt64: [Int64: TestCatalog.Movie]] = [:]
    private(set) var announced: Set<UInt64> = []
    private var random = Xoshiro(seed: 7)
    private var pending: [Int64: TestCatalog.Movie]?
    private var stamp: Int32 = 0

    private init(directory: String) throws {
        self.directory = directory
        store = try FileSystemBlobStore(directory: directory + "/blobs")
        let lease = try LeaseFile(path: directory + "/leader.lease")
        log = try FileSystemAnnouncementLog(file: directory + "/announcements.jsonl", fencedBy: lease)
        // A lease far longer than the test: renewals in the background do not move the count of steps.
        let election = FileLeaderElection(lease: lease, participantID: "faulty", leaseDuration: .seconds(120), announcementLog: log, logger: quiet)
        producer = Producer(schema: TestCatalog.schema, blobStore: store, announcementLog: log, leaderElection: election,
                            configuration: .init(producerID: "faulty", snapshotEvery: 2, snapshotsToKeep: FaultRig.snapshotsToKeep), logger: quiet)
        consumer = Consumer(blobStore: store, announcementLog: log, configuration: .init(name: "faults"), logger: quiet)
    }

    static func make() async throws -> FaultRig {
        let rig = try FaultRig(directory: TemporaryDirectory().path)
        _ = try await rig.producer.waitForLeadership()
        for _ in 0..<4 {
            _ = try await rig.nextCycle()
            try await rig.settle()
        }
        try await rig.consumer.refresh()
        return rig
    }

    /// A cycle that changes a few movies; the version it announced (nil: nothing changed). Call
    /// `settle()` once no fault is armed.
    func nextCycle() async throws(ProducerError) -> UInt64? {
        stamp += 1
        var next = movies
        TestCatalog.change(&next, percent: 5, stamp: stamp, using: &random)
        pending = next
        return try await producer.runCycle { state in try TestCatalog.populate(state, next) }.version
    }

    /// Versions that reached the log since the last settle belong to the last cycle, even when it
    /// failed after its append (an fsync of the log that failed, say): they hold its movies.
    func settle() async throws {
        let latest = try await log.history().latest?.version ?? 0
        let known = announced.max() ?? 0
        guard latest > known, let pending else { return }
        for version in (known + 1)...latest { moviesOf[version] = pending; announced.insert(version) }
        movies = pending
    }

    /// The log reads whole; every version announced so far is in it; every version the cleaner
    /// keeps (from the oldest snapshot it keeps on) loads, with the movies it was announced with.
    func checkStore(after what: String) async {
        let history: AnnouncementHistory
        do { history = try await FileSystemAnnouncementLog(file: directory + "/announcements.jsonl").history() } catch {
            Issue.record("after \(what): the log does not read: \(error)")
            return
        }
        let inLog = Set(history.announcements.map(\.version))
        #expect(announced.isSubset(of: inLog), "after \(what): announced versions \(announced.subtracting(inLog).sorted()) are gone from the log")
        let reader = Consumer(blobStore: store, announcementLog: log, configuration: .init(name: "check"), logger: quiet)
        let keptSnapshots = history.announcements.filter { $0.snapshot != nil }.suffix(FaultRig.snapshotsToKeep)
        let oldestKept = keptSnapshots.first?.version ?? 0
        for version in history.announcements.map(\.version) where version >= oldestKept {
            do {
                try await reader.refresh(to: version)
                #expect(TestCatalog.movies(in: reader.current!.readState) == moviesOf[version], "after \(what): version \(version) holds other movies")
            } catch {
                Issue.record("after \(what): announced version \(version) does not load: \(error)")
            }
        }
    }

    static let snapshotsToKeep = 2

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Durability steps that fail once are taken again, not skipped for good.
@Suite struct FailedFlushTests {
    /// The lease file's directory entry must survive a crash (terms must never restart): when the
    /// flush of the directory after creating the file fails, the next term change flushes it.
    @Test func aFailedFlushOfTheLeaseDirectoryIsDoneAgainAtTheNextTermChange() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let lease = try LeaseFile(path: directory.path + "/leader.lease")
        let election = FileLeaderElection(lease: lease, participantID: "a", leaseDuration: .seconds(5), logger: quiet)
        FailPoints.arm(.init(.fsync, path: directory.path, occurrence: 1, action: .fail(.ioError)))
        await #expect(throws: LeaderElectionError.self) { try await election.waitForLeadership() }
        FailPoints.disarm(path: directory.path)
        FailPoints.arm(.init(.fsync, path: directory.path, action: .count))
        #expect(try await election.waitForLeadership() == Leadership(term: 1))
        // The new term's record, and the directory holding the file.
        #expect(FailPoints.counts(path: directory.path)[.fsync] == 2)
        FailPoints.disarm(path: directory.path)
        await election.resign()
    }

    /// A repair by root keeps the log its owner's: the producer appending to it keeps its rights.
    @Test(.enabled(if: getuid() == 0, "changing a file's owner needs root"))
    func aRepairKeepsTheLogsOwner() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let path = directory.path + "/announcements.jsonl"
        let log = try FileSystemAnnouncementLog(file: path)
        for version in 1...3 as ClosedRange<UInt64> { try await log.append(try FileSystemAnnouncementLogTests.announcement(version)) }
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = "{not json"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chown(path, 4321, 4321) == 0 && chmod(path, 0o640) == 0)
        _ = try await log.repair()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.ownerAccountID] as? Int == 4321 && attributes[.groupOwnerAccountID] as? Int == 4321)
        #expect(attributes[.posixPermissions] as? Int == 0o640)
        #expect(try await log.history().announcements.map(\.version) == [1, 3])
    }
}
