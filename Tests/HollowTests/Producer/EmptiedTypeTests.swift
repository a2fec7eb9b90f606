import HollowCore
import Testing
@testable import Hollow
import HollowTesting

/// A source that comes up empty must not empty the dataset without a word.
@Suite struct EmptiedTypeTests {
    @Test func aCycleThatWouldEmptyAFedTypeIsRefusedUnlessAllowed() async throws {
        let rig = Rig()
        let producer = rig.producer()
        try await producer.cycle(TestCatalog.movies(20))
        await #expect {
            try await producer.cycle([:])
        } throws: { error in
            guard case .validationFailed("no type emptied", let message) = error as? ProducerError else { return false }
            return message.contains("Movie had 20 records in version 1") && message.contains("--allow-empty Movie")
        }
        #expect(rig.log.currentHistory.announcements.count == 1)

        let allowed = rig.producer(.init(producerID: "test", allowEmptyTypes: ["Movie"]))
        #expect(try await allowed.cycle([:]) == 2)
        #expect(rig.log.currentHistory.latest.map { $0.version } == 2)
    }

    @Test func aReferencedTypeMayEmptyWhileItsReferrersHaveRecords() async throws {
        let rig = Rig()
        let producer = rig.producer()
        try await producer.cycle(TestCatalog.movies(20))
        var untagged = TestCatalog.movies(20)
        for id in untagged.keys { untagged[id]!.tags = [] }
        #expect(try await producer.cycle(untagged) == 2)  // Tag is emptied: it is not fed by a source
    }

    @Test func anEmptyTypeMayStayEmptyAndFill() async throws {
        let rig = Rig()
        let producer = rig.producer()
        #expect(try await producer.cycle([:]) == 1)  // nothing to empty in a first version
        #expect(try await producer.cycle(TestCatalog.movies(3)) == 2)
    }
}
