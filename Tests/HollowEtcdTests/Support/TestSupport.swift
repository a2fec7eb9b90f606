import HollowEtcdTesting
import Foundation
@testable import HollowEtcd
import Logging

/// Tests log nothing: failures they provoke on purpose would flood the output.
let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A prefix no other test uses.
func uniquePrefix(_ name: String = "t") -> String { "/hollow-test/\(name)-\(UUID().uuidString.prefix(8))" }

/// Liveness waits are generous: the suites run in parallel on 2 loaded cores.
let liveness: Duration = .seconds(60)

extension EtcdServer {
    /// A client of this server; short timeouts so that a stopped etcd is noticed quickly.
    func client(timeout: Duration = .seconds(5), attempts: Int = 3) throws -> EtcdClient {
        try EtcdClient(configuration: .init(endpoints: [endpoint], requestTimeout: timeout, attempts: attempts), logger: quiet)
    }

    /// A connection to this server, for the log and the election; the same short timeouts.
    func connection(timeout: Duration = .seconds(5), attempts: Int = 3) throws -> EtcdConnection {
        EtcdConnection(client: try client(timeout: timeout, attempts: attempts))
    }
}

/// Waits until `condition` holds, checking every 20 ms, for at most `timeout`. Returns whether it held.
func eventually(within timeout: Duration = liveness, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

extension Array where Element == Duration {
    var median: Duration {
        let sorted = self.sorted()
        return sorted.isEmpty ? .zero : sorted[sorted.count / 2]
    }
}
