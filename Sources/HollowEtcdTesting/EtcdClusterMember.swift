import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One member of an `EtcdCluster`: its own ports, data dir and log; killed and restarted on its
/// own (same ports, same data).
public final class EtcdClusterMember: Sendable {
    public let name: String
    public let clientPort: Int
    public let peerPort: Int
    public let root: String
    let scheme: String
    let initialCluster: String
    let tlsArguments: [String]
    let extraArguments: [String]
    let healthClient: HTTPClient
    private let pid = Mutex<pid_t>(0)

    /// `http(s)://127.0.0.1:PORT`, for `EtcdConnection`.
    public var endpoint: String { "\(scheme)://127.0.0.1:\(clientPort)" }
    public var peerURL: String { "\(scheme)://127.0.0.1:\(peerPort)" }
    public var dataDirectory: String { root + "/data" }
    public var logPath: String { root + "/etcd.log" }
    public var isRunning: Bool { pid.withLock { $0 > 0 } }

    init(name: String, clientPort: Int, peerPort: Int, root: String, scheme: String, initialCluster: String,
         tlsArguments: [String], extraArguments: [String], healthClient: HTTPClient) {
        self.extraArguments = extraArguments
        self.healthClient = healthClient
        self.name = name
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.root = root
        self.scheme = scheme
        self.initialCluster = initialCluster
        self.tlsArguments = tlsArguments
    }

    /// Starts the process (it answers once a quorum of members runs).
    func launch() throws {
        let binary = try EtcdServer.executable()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let arguments = [
            binary, "--name", name, "--data-dir", dataDirectory,
            "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
            "--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL,
            "--initial-cluster", initialCluster, "--initial-cluster-token", "hollow-test",
            "--log-level", "warn",
        ] + tlsArguments + extraArguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, nil, &argv, environ)
        guard status == 0 else { throw EtcdServer.Failure(description: "cannot start \(binary): \(String(cString: strerror(status)))") }
        pid.withLock { $0 = child }
    }

    /// Waits until the member answers `/health` with true (`client` speaks its TLS).
    func waitUntilHealthy(within timeout: Duration) async throws {
        let client = healthClient
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let child = pid.withLock { $0 }
            if child == 0 || Self.reaped(child) {
                pid.withLock { $0 = 0 }
                throw EtcdServer.Failure(description: "etcd member \(name) exited: \(log().suffix(2000))")
            }
            var request = HTTPClientRequest(url: endpoint + "/health")
            request.method = .GET
            if let response = try? await client.execute(request, timeout: .seconds(2)),
               let body = try? await response.body.collect(upTo: 4096), String(buffer: body).contains("\"health\":\"true\"") {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw EtcdServer.Failure(description: "etcd member \(name) did not answer /health within \(timeout): \(log().suffix(2000))")
    }

    /// Starts it again on the same ports and data, and waits until it answers `/health` (it
    /// rejoins the cluster).
    public func restart() async throws {
        await terminate()
        try launch()
        try await waitUntilHealthy(within: .seconds(30))
    }

    /// SIGKILL, as a crash: the data stays. Returns once the process is gone.
    public func kill() async {
        await stopProcess(signal: SIGKILL)
    }

    /// SIGTERM (SIGKILL after 5 s), as an orderly stop.
    public func terminate() async {
        await stopProcess(signal: SIGTERM)
    }

    private func stopProcess(signal: Int32) async {
        let child = pid.withLock { pid in defer { pid = 0 }; return pid }
        guard child > 0 else { return }
        Glibc.kill(child, SIGCONT)
        Glibc.kill(child, signal)
        let deadline = ContinuousClock.now + .seconds(5)
        while !Self.reaped(child) {
            if ContinuousClock.now > deadline { Glibc.kill(child, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private static func reaped(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result < 0 && errno == ECHILD)
    }
}
