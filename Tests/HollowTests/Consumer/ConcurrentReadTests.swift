import Foundation
import HollowCore
import Synchronization
import PropertyBased
import Testing
@testable import Hollow
import HollowTesting

/// Readers on their own threads take `consumer.current`, borrow it (`withCurrent`), or read a
/// view's handles, over and over while refreshes swap states in: every state they see must be
/// whole (one version throughout, index and records agreeing). Run once under the thread sanitizer:
/// `swift test --sanitize=thread --filter ConcurrentReadTests`.
@Suite struct ConcurrentReadTests {
    final class Readers: Sendable {
        let stop = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)
        let inconsistencies = Mutex<[String]>([])
    }

    @Test func eightReaderThreadsSeeConsistentStatesThrough200Refreshes() async throws {
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "test", snapshotEvery: 20, snapshotsToKeep: 2))
        let consumer = rig.consumer()
        let count = 300
        try await producer.cycle(TestCatalog.movies(count, stamp: 1))
        try await consumer.refresh()

        let view = try consumer.view { try ViewHandles($0) }
        let readers = Readers()
        let threads = (0..<8).map { seed in
            let thread = Thread {
                var generator = Xoshiro(seed: UInt64(seed))
                while !readers.stop.load(ordering: .relaxed) {
                    // A third of the readers borrow the state, a third take a counted reference,
                    // a third read handles a view made for the version.
                    let problem: String?? = switch seed % 3 {
                    case 0: consumer.withCurrent { $0.map { Self.check($0, count: count, using: &generator) } }
                    case 1: consumer.current.map { Self.check($0, count: count, using: &generator) }
                    default: view.withCurrent { $0.map { Self.check($0, count: count, using: &generator) } }
                    }
                    guard let problem else { continue }
                    if let problem { readers.inconsistencies.withLock { $0.append(problem) } }
                    readers.reads.add(1, ordering: .relaxed)
                    usleep(1_000)  // eight spinning threads on two cores would starve the rest of the suite
                }
            }
            thread.start()
            return thread
        }
        for cycle in 2...201 {
            // Every record changes every cycle: a torn view could not hide.
            try await producer.cycle(TestCatalog.movies(count, stamp: Int32(cycle)))
            try await consumer.refresh()
        }
        readers.stop.store(true, ordering: .relaxed)
        while threads.contains(where: { $0.isExecuting }) { try await Task.sleep(for: .milliseconds(5)) }

        #expect(consumer.currentVersion == 201)
        #expect(readers.inconsistencies.withLock { $0.prefix(5) } == [])
        #expect(readers.reads.load(ordering: .relaxed) > 200)
    }

    /// A view's handles: the version they were made for, its Movie type and index.
    final class ViewHandles: Sendable {
        let version: UInt64
        let movies: ObjectTypeReadState
        let index: PrimaryKeyIndex
        init(_ state: ConsumerState) throws {
            version = state.version
            movies = state.readState.objectType("Movie")!
            index = state.primaryKeyIndex("Movie")!
        }
    }

    /// Nil when a view's handles are whole: every record stamped with their version, every key found.
    static func check(_ handles: ViewHandles, count: Int, using generator: inout Xoshiro) -> String? {
        let movies = handles.movies, stamp = movies.field("stamp")!, idField = movies.field("id")!
        guard movies.recordCount == count else { return "view of version \(handles.version): \(movies.recordCount) records" }
        for ordinal in movies.ordinals where movies.int(ordinal, stamp) != Int32(handles.version) {
            return "view of version \(handles.version): record \(ordinal) stamped \(movies.int(ordinal, stamp) ?? -1)"
        }
        for _ in 0..<20 {
            let id = Int64.random(in: 0..<Int64(count), using: &generator)
            guard let ordinal = handles.index.ordinal(id), movies.long(ordinal, idField) == id else {
                return "view of version \(handles.version): key \(id) not found through the index"
            }
        }
        return nil
    }

    /// Nil when `state` is whole: every record stamped with the state's version, every key found.
    static func check(_ state: ConsumerState, count: Int, using generator: inout Xoshiro) -> String? {
        let movies = state.readState.objectType("Movie")!
        let stamp = movies.field("stamp")!, idField = movies.field("id")!
        guard movies.recordCount == count else { return "version \(state.version): \(movies.recordCount) records" }
        let expected = Int32(state.version)
        for ordinal in movies.ordinals where movies.int(ordinal, stamp) != expected {
            return "version \(state.version): record \(ordinal) stamped \(movies.int(ordinal, stamp) ?? -1)"
        }
        let index = state.primaryKeyIndex("Movie")!
        for _ in 0..<20 {
            let id = Int64.random(in: 0..<Int64(count), using: &generator)
            guard let ordinal = index.ordinal(id), movies.long(ordinal, idField) == id else {
                return "version \(state.version): key \(id) not found through the index"
            }
        }
        return nil
    }
}
