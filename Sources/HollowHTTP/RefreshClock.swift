import Foundation
import Hollow
import Synchronization

/// When a consumer last loaded a version, and how many refreshes failed since: a refresh
/// listener's record, read by the metrics. A refresh that finds nothing new notifies nobody, so
/// the last load is what can be known.
final class RefreshClock: Sendable {
    struct Reading: Sendable {
        /// Nil until a load after the listener was added.
        var lastLoadMilliseconds: Int64?
        var failuresInARow = 0
    }

    private let state = Mutex(Reading())

    var reading: Reading { state.withLock { $0 } }

    func follow(_ consumer: Consumer) {
        consumer.addRefreshListener { [weak self] event in
            guard let self else { return }
            switch event {
            case .refreshed:
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                state.withLock { $0 = Reading(lastLoadMilliseconds: now, failuresInARow: 0) }
            case .failed:
                state.withLock { $0.failuresInARow += 1 }
            }
        }
    }
}
