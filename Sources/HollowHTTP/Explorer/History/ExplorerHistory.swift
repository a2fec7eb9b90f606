import Foundation
import Hollow
import HollowCore
import HollowTools
import Synchronization

/// The changes of the versions an explorer's consumer served since the explorer started: each new
/// state is compared with the one served before it, record by record by primary key (StateDiff),
/// on a thread of its own (never the refreshing task, nor the cooperative pool that serves
/// requests), and the last `retainedVersions` comparisons are kept.
///
/// The comparison reads every record of both states once, and holds the older state until it
/// ends; states of more than `comparedRecordsLimit` records are compared by record counts only.
final class ExplorerHistory: Sendable {
    struct Limits: Sendable {
        /// Versions whose changes are kept (older ones are forgotten); 0 records nothing.
        var retainedVersions = 100
        /// Records of each kind (added, removed, changed) kept per type and version; the rest are
        /// counted, not kept.
        var keptRecords = 1_000
        /// States with more records than this are compared by counts only.
        var comparedRecordsLimit = 2_000_000
    }

    let limits: Limits
    private let recorded = Recorded()
    private let states: AsyncStream<ConsumerState>.Continuation
    private let comparing: Task<Void, Never>

    init(following consumer: Consumer, limits: Limits) {
        self.limits = limits
        // Only the newest state waits: when comparing falls behind the refreshes, the versions
        // between are compared as one step (`fromVersion` says where it started), and no more
        // than three states (compared, comparing, waiting) are held.
        let (stream, continuation) = AsyncStream<ConsumerState>.makeStream(bufferingPolicy: .bufferingNewest(1))
        states = continuation
        let recorded = recorded
        let first = consumer.current
        comparing = Task.detached(priority: .background) {
            var previous = first
            for await state in stream {
                if let previous, previous.version != state.version {
                    let changes = await Self.onOwnThread { Self.compare(previous, state, limits: limits) }
                    recorded.append(changes, keepingLast: limits.retainedVersions)
                }
                previous = state
            }
        }
        guard limits.retainedVersions > 0 else { continuation.finish(); return }
        consumer.addRefreshListener { [weak consumer, continuation] event in
            // The state the event announced, read now: the listener runs right after it was published.
            guard case .refreshed = event, let state = consumer?.current else { return }
            continuation.yield(state)
        }
    }

    deinit {
        states.finish()
        comparing.cancel()
    }

    /// The recorded changes, oldest first.
    var changes: [VersionChanges] { recorded.list.withLock { $0 } }

    /// The changes that made `version` (nil when it was not recorded).
    func changes(to version: UInt64) -> VersionChanges? { recorded.list.withLock { list in list.last { $0.version == version } } }

    /// The list, shared by the comparing task and the pages.
    private final class Recorded: Sendable {
        let list = Mutex<[VersionChanges]>([])

        func append(_ changes: VersionChanges, keepingLast limit: Int) {
            list.withLock { list in
                list.append(changes)
                if list.count > limit { list.removeFirst(list.count - limit) }
            }
        }
    }

    /// `work` on a thread of its own: a comparison reads every record of two states, and the two
    /// threads of a small machine's cooperative pool serve requests meanwhile.
    private static func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = "hollow-explorer-history"
            thread.start()
        }
    }

    static func compare(_ old: ConsumerState, _ new: ConsumerState, limits: Limits) -> VersionChanges {
        let oldState = old.readState, newState = new.readState
        let names = newState.schema.types.map(\.name) + oldState.schema.types.map(\.name).filter { newState.schema[$0] == nil }
        let counts = names.map { (name: $0, from: oldState.recordCount($0), to: newState.recordCount($0)) }
        let records = max(counts.map(\.from).reduce(0, +), counts.map(\.to).reduce(0, +))
        let types = records > limits.comparedRecordsLimit ? nil
            : StateDiff(from: oldState, to: newState, keeping: limits.keptRecords).types.filter(\.hasChanges).map(VersionChanges.ChangedType.init)
        return VersionChanges(version: new.version, fromVersion: old.version, recordedAt: Date(), types: types, recordCounts: counts)
    }
}
