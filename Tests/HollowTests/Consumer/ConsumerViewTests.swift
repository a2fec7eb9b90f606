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
        let view = try consumer.view { try Stamps($0, made: made) }
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

    /// A version whose handles cannot be made is not served: the refresh fails, the last good
    /// version and its handles stay served, and the next version is served when its handles can be made.
    @Test func aVersionWhoseHandlesCannotBeMadeIsNotServed() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        let attempts = Atomic<Int>(0)
        let view = try consumer.view { state -> Stamps in
            attempts.add(1, ordering: .relaxed)
            guard state.version != 2 else { throw Missing() }
            return try Stamps(state, made: Made())
        }
        try await producer.cycle(TestCatalog.movies(5, stamp: 1))
        try await consumer.refresh()
        try await producer.cycle(TestCatalog.movies(5, stamp: 2))
        await #expect(throws: RefreshError.view(handles: "Stamps", version: 2, reason: "Missing()")) { try await consumer.refresh() }
        #expect(consumer.currentVersion == 1)
        #expect(view.withCurrent { $0?.stamp(of: 3) } == 1)
        #expect(attempts.load(ordering: .relaxed) == 2)

        try await producer.cycle(TestCatalog.movies(5, stamp: 3))
        try await consumer.refresh()
        #expect(view.withCurrent { $0?.stamp(of: 3) } == 3)
    }

    @Test func aViewThatCannotBeMadeForTheVersionServedIsRefused() async throws {
        let rig = Rig()
        try await rig.producer().cycle(TestCatalog.movies(5, stamp: 1))
        let consumer = rig.consumer()
        try await consumer.refresh()
        #expect(throws: ConsumerViewError.handles(.view(handles: "Stamps", version: 1, reason: "Missing()"))) {
            try consumer.view { _ -> Stamps in throw Missing() }
        }
        // Made for the version served before `view` returns.
        let made = Made()
        _ = try consumer.view { try Stamps($0, made: made) }
        #expect(made.count.load(ordering: .relaxed) == 1)
    }

    @Test func aConsumerMakesAtMost64ViewsAndSkipsTheViewsDropped() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        let made = Made()
        var views: [ConsumerView<Stamps>] = []
        for _ in 0..<64 { views.append(try consumer.view { try Stamps($0, made: made) }) }
        #expect(throws: ConsumerViewError.tooManyViews(limit: 64)) { try consumer.view { try Stamps($0, made: made) } }
        try await producer.cycle(TestCatalog.movies(5, stamp: 1))
        try await consumer.refresh()
        #expect(made.count.load(ordering: .relaxed) == 64)
        views.removeLast(60)
        try await producer.cycle(TestCatalog.movies(5, stamp: 2))
        try await consumer.refresh()
        #expect(made.count.load(ordering: .relaxed) == 68)
        #expect(views[3].withCurrent { $0?.stamp(of: 1) } == 2)
    }

    /// Handles that hold their `ConsumerState` keep it alive for ever: the consumer says so.
    @Test func aReplacedStateStillAliveThreeRefreshesLaterIsReported() async throws {
        final class Holding: Sendable {
            let state: ConsumerState
            init(_ state: ConsumerState) { self.state = state }
        }
        let rig = Rig()
        let producer = rig.producer()
        let log = RecordedLog()
        let consumer = Consumer(blobStore: rig.store, announcementLog: rig.log, configuration: .init(indexes: [.primaryKey("Movie")]),
                                logger: log.logger())
        let view = try consumer.view { Holding($0) }
        for version in 1...6 {
            try await producer.cycle(TestCatalog.movies(5, stamp: Int32(version)))
            try await consumer.refresh()
        }
        withExtendedLifetime(view) {}
        // Version 1 was replaced at the second refresh and is still alive at the fifth; version 2 at the sixth.
        let warned = log.messages.filter { $0.level == .warning && $0.message.contains("still alive") }.compactMap { $0.metadata["version"] }
        #expect(warned == ["1", "2"])
    }

    /// Eight threads read a view at once, right after a refresh and for a view made after the
    /// version was published: the handles are made once per version either way.
    @Test func manyThreadsAtOnceMakeTheHandlesOnce() async throws {
        let rig = Rig()
        let producer = rig.producer()
        let consumer = rig.consumer()
        let early = Made()
        let before = try consumer.view { try Stamps($0, made: early) }
        for version in 1...3 {
            try await producer.cycle(TestCatalog.movies(10, stamp: Int32(version)))
            try await consumer.refresh()
            let late = Made()
            let after = try consumer.view { try Stamps($0, made: late) }
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
        let first = try consumer.view { try Stamps($0, made: Made()) }
        let second = try consumer.view { state in try Stamps(state, made: Made()) }
        try await producer.cycle(TestCatalog.movies(3, stamp: 5))
        try await consumer.refresh()
        let a = first.withCurrent { $0.map(ObjectIdentifier.init) }
        let b = second.withCurrent { $0.map(ObjectIdentifier.init) }
        #expect(a != nil && b != nil && a != b)
        #expect(first.withCurrent { $0.map(ObjectIdentifier.init) } == a)
    }
}
