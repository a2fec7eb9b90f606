import Foundation
import HollowCore
import HollowTools
import Testing
@testable import Hollow

/// `hollow produce` killed (SIGKILL) at every file step of its cycle in turn, on purpose: the n-th
/// open, read, write, fsync, rename, lock, unlink, mkdir and truncate, a write cut in half. After
/// each kill the log reads whole, the versions announced before are all there and load, any
/// version the killed cycle announced loads with the new content, and the next run succeeds.
@Suite struct ProducerKillTests {
    @Test(arguments: [[], ["--lease", "1s"]])
    func aProducerKilledAtAnyFileStepLosesNothing(election: [String]) async throws {
        let reference = try await Self.referenceContent()
        // A snapshot every version, one kept: each run's cleaner deletes the blobs before it.
        let options = election + ["--snapshot-every", "1", "--keep-snapshots", "1"]
        var kills = 0
        var killsByStep: [String] = []
        for step in FailPoints.Step.allCases {
            var occurrence = 1
            while occurrence < 200 {
                let tool = ToolRunner()
                defer { tool.remove() }
                try tool.makeStore()
                for version in 1...2 {
                    let result = try await tool.produceFixture(version, options)
                    try #require(result.status == 0, "\(result)")
                }
                let what = "\(step) #\(occurrence)\(election.isEmpty ? "" : " with a lease")"
                let killed = try await tool.produceFixture(3, options, environment: ["HOLLOW_FAILPOINTS": "\(step)@\(tool.store)#\(occurrence)=kill"])
                if killed.status == 0 { break }  // no such step in a cycle: on to the next kind
                #expect(killed.signal == SIGKILL, "killed at \(what): \(killed)")
                kills += 1

                let announced = try await Self.check(tool.store, reference: reference, after: "a kill at \(what)")
                #expect(announced.isSuperset(of: [1, 2]), "after a kill at \(what): the log holds \(announced.sorted())")
                let next = try await tool.produceFixture(3, options)
                #expect(next.status == 0, "the run after a kill at \(what): \(next)")
                let after = try await Self.check(tool.store, reference: reference, after: "the run after a kill at \(what)")
                #expect(after.max() ?? 0 >= 3 || announced.max() ?? 0 >= 3, "after a kill at \(what) and a run: \(after.sorted())")
                occurrence += 1
            }
            killsByStep.append("\(step) \(occurrence - 1)")
        }
        #expect(kills > 20)
        print("hollow produce killed at \(kills) file steps\(election.isEmpty ? "" : " with a lease"): \(killsByStep.joined(separator: ", "))")
    }

    /// The records of fixture versions 1...3 as JSON, per type, sorted: what each version holds.
    static func referenceContent() async throws -> [[String: [String]]] {
        let tool = ToolRunner()
        defer { tool.remove() }
        try tool.makeStore()
        var contents: [[String: [String]]] = []
        for version in 1...3 {
            let result = try await tool.produceFixture(version)
            try #require(result.status == 0, "\(result)")
            let consumer = Consumer(blobStore: try FileSystemBlobStore(directory: tool.store + "/blobs"),
                                    announcementLog: try FileSystemAnnouncementLog(file: tool.store + "/announcements.jsonl"),
                                    configuration: .init(name: "reference"), logger: quiet)
            try await consumer.refresh()
            contents.append(content(consumer.current!.readState))
        }
        return contents
    }

    static func content(_ state: ReadState) -> [String: [String]] {
        let json = RecordJSON(state: state)
        var content: [String: [String]] = [:]
        for case .object(let object) in state.schema.types {
            content[object.name] = state.objectType(object.name)!.ordinals.map { json.object(object.name, $0) }.sorted()
        }
        return content
    }

    /// The log reads; every version in it from the oldest snapshot kept on loads (along its chain
    /// and from its snapshot) and holds one of the fixtures' contents, in order. Returns the versions.
    static func check(_ store: String, reference: [[String: [String]]], after what: String) async throws -> Set<UInt64> {
        let log = try FileSystemAnnouncementLog(file: store + "/announcements.jsonl")
        let history: AnnouncementHistory
        do { history = try await log.history() } catch {
            Issue.record("after \(what): the log does not read: \(error)")
            return []
        }
        let blobs = try FileSystemBlobStore(directory: store + "/blobs")
        let oldestKept = history.announcements.last { $0.snapshot != nil }?.version ?? 0
        var previous = -1
        for announcement in history.announcements where announcement.version >= oldestKept {
            let consumer = Consumer(blobStore: blobs, announcementLog: log, configuration: .init(name: "check"), logger: quiet)
            do {
                try await consumer.refresh(to: announcement.version)
                let found = reference.firstIndex(of: content(consumer.current!.readState))
                #expect(found != nil && found! >= previous, "after \(what): version \(announcement.version) holds none of the fixtures in order")
                previous = found ?? previous
            } catch {
                Issue.record("after \(what): version \(announcement.version) does not load: \(error)")
            }
        }
        return Set(history.announcements.map(\.version))
    }
}
