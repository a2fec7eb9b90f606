import Foundation
import HollowCore
import HollowTesting
import Synchronization
import Testing
@testable import Hollow

/// `Consumer.view(_:)`: handles made once per version, borrowed by every request, made again for
/// the next version, nil (and logged) when they cannot be made, and freed with their version.
@Suite struct ConsumerViewTests {
    /// What a request reads: made from one state.
    final class Stamps: Sendable {
        let version: UInt64
        let index: PrimaryKeyIndex
        let movies: ObjectTypeReadState
        let stamp: FieldHandle
        let made: Made
        init(_ state: ConsumerState, made: Made) throws {
            guard let index = state.primaryKeyIndex("Movie"), let movies = state.readState.objectType("Movie"),
                  let stamp = movies.field("stamp") else { throw Missing() }
            version = state.version
            self.index = index
            self.movies = movies
            self.stamp = stamp
            self.made = made
            made.count.add(1, ordering: .relaxed)
        }
        deinit { made.freed.add(1, ordering: .relaxed) }

        func stamp(of id: Int64) -> Int32? { index.ordinal(id).flatMap { movies.int($0, stamp) } }
    }

    final class Made: Sendable {
        let count = Atomic<Int>(0)
        let freed = Atomic<Int>(0)
    }

    struct Missing: Error {}

    @Test func handlesAreMadeOncePerVersionAndFollowRefreshes() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        let made = Made()
        let view = consumer.view { try Stamps($0, made: made) }
        #expect(view.withCurrent { $0?.version } == nil)
        #expect(made.count.load(ordering: .relaxed) == 0)

        try await producer.cycle(TestCatalog.movies(20, stamp: 1))
        try await consumer.refresh()
        for id in 0..<20 { #expect(view.withCurrent { $0?.stamp(of: Int64(id)) } == 1) }
        #expect(made.count.load(ordering: .relaxed) == 1)

        try await producer.cycle(TestCatalog.movies(20, stamp: 2))
        try await consumer.refresh()
        #expect(view.withCurrent { handles in handles.map { [Int($0.version), Int($0.stamp(of: 7) ?? -1)] } } == [2, 2])
        #expect(view.withCurrent { $0?.version } == 2)
        #expect(made.count.load(ordering: .relaxed) == 2)
        // Version 1's handles went with its state: nothing else held it.
        #expect(made.freed.load(ordering: .relaxed) == 1)
    }

    @Test func handlesThatCannotBeMadeGiveNilAndAreTriedAgainWithTheNextVersion() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let log = RecordedLog()
        let consumer = Consumer(blobStore: rig.store, announcementLog: rig.log, configuration: .init(indexes: [.primaryKey("Movie")]),
                                logger: log.logger())
        let attempts = Atomic<Int>(0)
        let failing = consumer.view { state -> Stamps in
            attempts.add(1, ordering: .relaxed)
            guard state.version >= 2 else { throw Missing() }
            return try Stamps(state, made: Made())
        }
        try await producer.cycle(TestCatalog.movies(5, stamp: 1))
        try await consumer.refresh()
        for _ in 0..<10 { #expect(failing.withCurrent { $0 == nil }) }
        #expect(attempts.load(ordering: .relaxed) == 1)
        #expect(log.messages.contains { $0.level == .error && $0.message.contains("view") && $0.metadata["version"] == "1" })

        try await producer.cycle(TestCatalog.movies(5, stamp: 2))
        try await consumer.refresh()
        #expect(failing.withCurrent { $0?.stamp(of: 3) } == 2)
        #expect(attempts.load(ordering: .relaxed) == 2)
    }

    /// Eight threads read a view at once, right after a refresh and for a view made after the
    /// version was published: the handles are made once per version either way.
    @Test func manyThreadsAtOnceMakeTheHandlesOnce() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        let early = Made()
        let before = consumer.view { try Stamps($0, made: early) }
        for version in 1...3 {
            try await producer.cycle(TestCatalog.movies(10, stamp: Int32(version)))
            try await consumer.refresh()
            let late = Made()
            let after = consumer.view { try Stamps($0, made: late) }
            let seen = Mutex<Set<Int32>>([])
            let threads = (0..<8).map { _ in
                Thread {
                    let stamps = [before.withCurrent { $0?.stamp(of: 3) }, after.withCurrent { $0?.stamp(of: 4) }]
                    seen.withLock { $0.formUnion(stamps.map { $0 ?? -1 }) }
                }
            }
            threads.forEach { $0.start() }
            while threads.contains(where: { !$0.isFinished }) { try await Task.sleep(for: .milliseconds(1)) }
            #expect(seen.withLock { $0 } == [Int32(version)])
            #expect(early.count.load(ordering: .relaxed) == version)
            #expect(late.count.load(ordering: .relaxed) == 1)
        }
    }

    @Test func viewsOfOneConsumerKeepTheirOwnHandles() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        let first = consumer.view { try Stamps($0, made: Made()) }
        let second = consumer.view { state in try Stamps(state, made: Made()) }
        try await producer.cycle(TestCatalog.movies(3, stamp: 5))
        try await consumer.refresh()
        let a = first.withCurrent { $0.map(ObjectIdentifier.init) }
        let b = second.withCurrent { $0.map(ObjectIdentifier.init) }
        #expect(a != nil && b != nil && a != b)
        #expect(first.withCurrent { $0.map(ObjectIdentifier.init) } == a)
    }
}
