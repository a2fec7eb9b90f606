import Foundation
import Hollow
import Synchronization

/// A service of the fleet drill that writes to the source of truth and then reads its own write:
/// it changes one record of the drill's source (`Item` -1, its value a counter) and waits, with
/// `Consumer.waitUntilServing(changesMadeAt:within:)`, until its own consumer (in process, built in
/// Swift from the same etcd and blob addresses as the consumer processes) serves a version that
/// carries the change; then checks that the version holds the value written.
final class FleetService: Sendable {
    struct Probe: Sendable {
        /// From the write to the consumer serving a version with it.
        var milliseconds: Int64
        var version: UInt64
    }

    private let consumer: Consumer
    private let source: SourceWriter
    private let probes = Mutex<[Probe]>([])
    private let failures = Mutex<[String]>([])

    /// The last refresh the consumer failed, for the report of a wait that did not end.
    private let lastFailure = Mutex<String?>(nil)

    init(consumer: Consumer, source: SourceWriter) {
        self.consumer = consumer
        self.source = source
        consumer.addRefreshListener { [weak self] event in
            if case .failed(let error, _) = event { self?.lastFailure.withLock { $0 = "\(error)" } }
        }
    }

    var completed: [Probe] { probes.withLock { $0 } }
    var problems: [String] { failures.withLock { $0 } }

    /// Writes and waits, again and again, `interval` apart, until cancelled.
    func keepWriting(every interval: Duration) async {
        var written = 0
        while !Task.isCancelled {
            written += 1
            let changedAt = Date()
            source.setMarker(written)
            do {
                try source.write()
            } catch {
                failures.withLock { $0.append("writing the source: \(error)") }
                return
            }
            do {
                let state = try await consumer.waitUntilServing(changesMadeAt: changedAt, within: .seconds(60))
                let elapsed = Int64(Date().timeIntervalSince(changedAt) * 1000)
                let items = state.readState.objectType("Item")
                let value = items.flatMap { items in
                    items.field("value").flatMap { field in state.primaryKeyIndex("Item")?.ordinal(Int64(-1)).flatMap { items.long($0, field) } }
                }
                if value != Int64(written) {
                    failures.withLock {
                        $0.append("version \(state.version), served for a change made at \(changedAt), holds \(value.map(String.init) ?? "no value") for item -1, not \(written)")
                    }
                }
                probes.withLock { $0.append(Probe(milliseconds: elapsed, version: state.version)) }
            } catch {
                let failure = lastFailure.withLock { $0 }.map { "; the consumer's last failed refresh: \($0)" } ?? ""
                if Task.isCancelled {
                    // The drill ended during this wait: a failure only if the consumer serves nothing.
                    if consumer.current == nil { failures.withLock { $0.append("the service's consumer never served a version\(failure)") } }
                    return
                }
                failures.withLock { $0.append("write \(written): \(error)\(failure)") }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
