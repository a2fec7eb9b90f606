import PropertyBased
import Testing
import TestThreads
@testable import Hollow
import HollowTesting

@Suite(.onTestThreads) struct UpdatePlannerTests {
    /// A random history: some versions lack a snapshot, a delta or a reverse delta, some links
    /// are broken, some blobs are known bad.
    struct Scenario {
        var history: AnnouncementHistory
        var bad: Set<BlobName>
        var current: UInt64?
        var wanted: UInt64
        var limit: Int

        init(seed: UInt64) {
            var random = Xoshiro(seed: seed)
            func blob(_ kind: String, _ version: UInt64, _ chance: Double) -> BlobReference? {
                Double.random(in: 0..<1, using: &random) < chance
                    ? BlobReference(name: try! BlobName("\(kind)-\(version)"), size: Int.random(in: 1...1_000, using: &random), sha256: "")
                    : nil
            }
            var announcements: [Announcement] = []
            var version: UInt64 = 0
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                let previous = announcements.last
                version += UInt64.random(in: 1...3, using: &random)
                let linked = previous != nil && Double.random(in: 0..<1, using: &random) < 0.95
                announcements.append(Announcement(
                    version: version, previousVersion: linked ? previous?.version : nil, stateID: UInt64.random(in: 1...UInt64.max, using: &random),
                    previousStateID: linked ? previous?.stateID : nil, snapshot: blob("snapshot", version, 0.3),
                    delta: linked ? blob("delta", version, 0.9) : nil, reverseDelta: linked ? blob("reverse", version, 0.9) : nil,
                    term: 1, producerID: "p", timestampMilliseconds: 0))
            }
            history = AnnouncementHistory(announcements: announcements)
            let names = announcements.flatMap { [$0.snapshot, $0.delta, $0.reverseDelta].compactMap { $0?.name } }
            bad = Set(names.filter { _ in Double.random(in: 0..<1, using: &random) < 0.1 })
            current = Bool.random(using: &random) ? announcements.randomElement(using: &random)!.version : nil
            wanted = announcements.randomElement(using: &random)!.version
            limit = Int.random(in: 1...8, using: &random)
        }

        /// Independently of the planner: the steps of the walk between two versions, if usable.
        func walkLength(from start: UInt64, to end: UInt64) -> Int? {
            let versions = history.announcements.map(\.version)
            guard let from = versions.firstIndex(of: start), let to = versions.firstIndex(of: end) else { return nil }
            let links = from < to ? Array((from + 1)...to) : from > to ? Array((to + 1)...from) : []
            for index in links {
                let announcement = history.announcements[index]
                guard announcement.previousVersion == versions[index - 1] else { return nil }
                guard let blob = from < to ? announcement.delta : announcement.reverseDelta, !bad.contains(blob.name) else { return nil }
            }
            return links.count
        }
    }

    @Test func plansAreValidWalksAndPreferTheShortChainFromTheCurrentVersion() async {
        await propertyCheck(count: 500, input: Gen.uint64(in: 0 ... .max)) { seed in
            let scenario = Scenario(seed: seed)
            let planner = UpdatePlanner(maximumChainLength: scenario.limit)
            let plan = planner.plan(history: scenario.history, from: scenario.current, to: scenario.wanted, excluding: scenario.bad)
            let fromCurrent = scenario.current.flatMap { scenario.walkLength(from: $0, to: scenario.wanted) }
            let snapshotWalks = scenario.history.announcements
                .filter { $0.snapshot.map { !scenario.bad.contains($0.name) } ?? false }
                .compactMap { scenario.walkLength(from: $0.version, to: scenario.wanted) }

            guard let plan else {
                #expect(fromCurrent == nil && snapshotWalks.isEmpty, "seed \(seed): a way existed but no plan was made")
                return
            }
            // A valid walk that ends at the wanted version, using no bad blob.
            var position = scenario.current
            for (index, step) in plan.steps.enumerated() {
                #expect(!scenario.bad.contains(step.blob.name), "seed \(seed): bad blob used")
                let announcement = scenario.history.announcement(of: step.kind == .reverseDelta ? step.fromVersion! : step.toVersion)!
                switch step.kind {
                case .snapshot:
                    #expect(index == 0 && step.blob == announcement.snapshot, "seed \(seed)")
                case .delta:
                    #expect(step.fromVersion == position && step.blob == announcement.delta, "seed \(seed)")
                case .reverseDelta:
                    #expect(step.fromVersion == position && step.blob == announcement.reverseDelta, "seed \(seed)")
                }
                position = step.toVersion
            }
            #expect(position == scenario.wanted, "seed \(seed)")
            // The chain from the current version wins when it is within the limit.
            if let fromCurrent, fromCurrent <= scenario.limit {
                #expect(!plan.startsWithSnapshot && plan.steps.count == fromCurrent, "seed \(seed)")
            } else if plan.startsWithSnapshot, snapshotWalks.contains(where: { $0 <= scenario.limit }) {
                #expect(plan.steps.count - 1 <= scenario.limit, "seed \(seed)")
            }
        }
    }

    @Test func describesPlans() {
        let blob = BlobReference(name: try! BlobName("b"), size: 10, sha256: "")
        let snapshot = UpdateStep(kind: .snapshot, blob: blob, fromVersion: nil, toVersion: 3, toStateID: 1)
        let delta = UpdateStep(kind: .delta, blob: blob, fromVersion: 3, toVersion: 4, toStateID: 2)
        let reverse = UpdateStep(kind: .reverseDelta, blob: blob, fromVersion: 4, toVersion: 3, toStateID: 1)
        #expect(UpdatePlan(steps: []).description == "nothing")
        #expect(UpdatePlan(steps: [snapshot, delta]).description == "snapshot + 1 delta")
        #expect(UpdatePlan(steps: [reverse, reverse]).description == "2 reverse deltas")
        #expect(UpdatePlan(steps: [snapshot, delta]).bytes == 20)
    }

    /// Random cycles, pins, unpins and lost blobs against one consumer: after every successful
    /// refresh it serves exactly the dataset of the version the log wants; after a failed one it
    /// serves what it served before.
    @Test func aConsumerAlwaysServesTheWantedDatasetOrItsLastGoodOne() async {
        await propertyCheck(count: 25, input: Gen.uint64(in: 0 ... .max)) { seed in
            do { try await checkConsumer(seed: seed) } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    func checkConsumer(seed: UInt64) async throws {
        var random = Xoshiro(seed: seed)
        let rig = Rig()
        let producer = rig.producer(.init(producerID: "p", snapshotEvery: Int.random(in: 1...5, using: &random), snapshotsToKeep: nil))
        let consumer = rig.consumer(.init(indexes: [.primaryKey("Movie")], maximumChainLength: Int.random(in: 1...6, using: &random)))
        var movies = TestCatalog.movies(Int.random(in: 0...40, using: &random))
        var datasets: [UInt64: [Int64: TestCatalog.Movie]] = [:]
        for step in 0..<25 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                TestCatalog.change(&movies, percent: 20, stamp: Int32(step), using: &random)
                if let version = try await producer.cycle(movies) { datasets[version] = movies }
            case 5:
                if let version = datasets.keys.randomElement(using: &random) { try await rig.log.pin(version) }
            case 6:
                try await rig.log.unpin()
            case 7:
                if let name = rig.store.names.randomElement(using: &random) { rig.store.drop(name) }
            default:
                let before = consumer.current
                let wanted = rig.log.currentHistory.wantedVersion
                do {
                    let report = try await consumer.refresh()
                    #expect(report.toVersion == wanted, "seed \(seed)")
                    #expect(TestCatalog.movies(in: consumer.current!.readState) == datasets[report.toVersion], "seed \(seed)")
                } catch {
                    #expect(consumer.current === before, "seed \(seed): a failed refresh changed the state")
                }
            }
        }
    }
}
