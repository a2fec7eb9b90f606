import Foundation
import Hollow
import Synchronization

/// When a consumer last refreshed successfully, and how many refreshes failed since: a refresh
/// listener's record, read by the metrics.
final class RefreshClock: Sendable {
    private let state = Mutex<(lastSuccess: Int64?, failures: Int)>((nil, 0))

    var lastSuccessMilliseconds: Int64? { state.withLock { $0.lastSuccess } }
    var failuresInARow: Int { state.withLock { $0.failures } }

    func follow(_ consumer: Consumer) {
        consumer.addRefreshListener { [weak self] event in
            guard let self else { return }
            switch event {
            case .refreshed:
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                state.withLock { $0 = (now, 0) }
            case .failed:
                state.withLock { $0.failures += 1 }
            }
        }
    }
}
