import AsyncHTTPClient
import Foundation
import HollowTesting
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real etcd for one test: started on free loopback ports in a temporary data dir, stopped by its
/// process id. `pause()` stops it with SIGSTOP (etcd lost, its sockets still open), `restart()`
/// starts it again on the same ports and data. Needs the `etcd` binary (Debian's `etcd-server`).
///
///     try await EtcdServer.with { etcd in
///         let etcdConnection = try EtcdConnection(endpoints: [etcd.endpoint])
///         ...
///     }
public final class EtcdServer: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let clientPort: Int
    public let peerPort: Int
    /// The address it listens on: loopback, or an address of the test's own network (a drill's
    /// bridge to its network namespaces).
    public let host: String
    /// The server's directory: its data and its log.
    public let root: String
    private let pid = Mutex<pid_t>(0)

    /// `http://HOST:PORT`, for `EtcdConnection`.
    public var endpoint: String { "http://\(host):\(clientPort)" }
    public var dataDirectory: String { root + "/data" }
    public var logPath: String { root + "/etcd.log" }

    private init(clientPort: Int, peerPort: Int, root: String, host: String) {
        self.host = host
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.root = root
    }

    /// Starts an etcd and waits until it answers `/health` (20 s at most); tries other ports when
    /// the chosen ones were taken meanwhile. It listens on `host` (an IPv4 address).
    public static func start(host: String = "127.0.0.1") async throws -> EtcdServer {
        let binary = try executable()
        var lastError: (any Error)?
        for _ in 0..<3 {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-etcd-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let server = EtcdServer(clientPort: try freePort(), peerPort: try freePort(), root: root, host: host)
            do {
                try await server.launch(binary)
                return server
            } catch {
                lastError = error
                await server.stop()
            }
        }
        throw lastError ?? Failure(description: "etcd did not start")
    }

    /// Starts an etcd, runs `body`, and stops it whether `body` failed or not.
    public static func with<T>(host: String = "127.0.0.1", _ body: (EtcdServer) async throws -> T) async throws -> T {
        let server = try await start(host: host)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// SIGTERM, then SIGKILL after 5 s; waits for the exit and removes the directory.
    public func stop() async {
        await terminate()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Stops the process only (data kept), as a crash or a restart does.
    public func terminate() async {
        let pid = pid.withLock { pid in defer { pid = 0 }; return pid }
        guard pid > 0 else { return }
        kill(pid, SIGCONT)
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while !Self.reaped(pid) {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                while !Self.reaped(pid) { try? await Task.sleep(for: .milliseconds(20)) }
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Starts it again on the same ports and data dir.
    public func restart() async throws {
        await terminate()
        try await launch(try Self.executable())
    }

    /// etcd stops answering (SIGSTOP) but its connections stay open: like a host that froze.
    /// Returns once the kernel reports it stopped (a signal is delivered, not obeyed, by `kill`).
    public func pause() {
        let pid = pid.withLock { $0 }
        kill(pid, SIGSTOP)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, Self.state(of: pid) != "T" { usleep(1000) }
    }
    public func resume() { pid.withLock { _ = kill($0, SIGCONT) } }

    private func launch(_ binary: String) async throws {
        let peer = "http://\(host):\(peerPort)"
        let arguments = [
            binary, "--name", "t", "--data-dir", dataDirectory,
            "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "t=\(peer)",
            "--log-level", "warn",
        ]
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, nil, &argv, environ)
        guard status == 0 else { throw Failure(description: "cannot start \(binary): \(String(cString: strerror(status)))") }
        pid.withLock { $0 = child }

        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if Self.reaped(child) {
                pid.withLock { $0 = 0 }
                throw Failure(description: "etcd exited at start: \(log().suffix(2000))")
            }
            if await healthy() {
                // The answer may have come from another server on the port, while this etcd,
                // refused the port, exits: start again elsewhere when it did.
                try await Task.sleep(for: .milliseconds(300))
                guard !Self.reaped(child) else {
                    pid.withLock { $0 = 0 }
                    throw Failure(description: "etcd exited at start: \(log().suffix(2000))")
                }
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "etcd did not answer /health within 20 s: \(log().suffix(2000))")
    }

    private func healthy() async -> Bool {
        var request = HTTPClientRequest(url: endpoint + "/health")
        request.method = .GET
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)),
              let body = try? await response.body.collect(upTo: 4096) else { return false }
        return String(buffer: body).contains("\"health\":\"true\"")
    }

    /// The state letter of /proc/PID/stat ("T": stopped).
    private static func state(of pid: pid_t) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[close...].dropFirst().first { $0 != " " }
    }

    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private static func reaped(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result < 0 && errno == ECHILD)
    }

    /// etcd from PATH, else Debian's /usr/bin/etcd.
    public static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            let candidate = "\(directory)/etcd"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw Failure(description: "etcd not found on PATH nor at /usr/bin/etcd: apt-get install -y etcd-server")
    }

    /// A port nobody listens on now (`LoopbackPort.free()`).
    public static func freePort() throws -> Int {
        do { return try LoopbackPort.free() } catch { throw Failure(description: error.description) }
    }
}
