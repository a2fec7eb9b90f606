import Foundation
import HollowTesting

#if canImport(Glibc)
import Glibc
#endif

/// A real nginx (Debian's, `apt-get install nginx`) on a free loopback port, for tests (ours and users'), serving a directory of blobs the way an
/// operator would put one in front of a producer's store, and stopped by PID:
///
/// - `/blobs/NAME`: the file NAME of `root`;
/// - `/private/NAME`: the same, only with `Authorization: Bearer <token>`;
/// - `/moved/NAME`: a permanent redirect to `/blobs/NAME`;
/// - `/flaky/NAME`: 503 while the file `failing` exists in the server's own directory, else as `/blobs/`.
public final class NginxServer: @unchecked Sendable {  // fields set once at start
    public let port: Int
    /// The address it listens on (loopback unless a test chose another).
    public let host: String
    public let prefix: String
    public let isSecure: Bool
    private let process: Process

    /// The bearer token `/private/` wants.
    public static let token = "s3cr3t-token"

    /// Serves `root` on `host` (an IPv4 address); with `certificate` (a PEM certificate and key), over TLS.
    public static func start(root: String, certificate: (certificate: String, key: String)? = nil,
                             host: String = "127.0.0.1") async throws -> NginxServer {
        let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let binary else { throw Failure("nginx not found: apt-get install -y nginx (scripts/test.sh installs it)") }
        var lastError: (any Error)?
        for _ in 0..<5 {
            let server = try NginxServer(binary: binary, root: root, port: try LoopbackPort.free(), certificate: certificate, host: host)
            do {
                try await server.waitUntilListening()
                return server
            } catch {
                lastError = error
                server.stop()
            }
        }
        throw lastError ?? Failure("nginx did not start")
    }

    private init(binary: String, root: String, port: Int, certificate: (certificate: String, key: String)?, host: String) throws {
        self.port = port
        self.host = host
        isSecure = certificate != nil
        prefix = NSTemporaryDirectory() + "hollow-nginx-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: prefix + "/temp", withIntermediateDirectories: true)
        let tls = certificate.map { "ssl_certificate \($0.certificate);\n        ssl_certificate_key \($0.key);" } ?? ""
        let configuration = """
            worker_processes 1;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/error.log;
            daemon off;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(prefix)/temp/body;
                proxy_temp_path \(prefix)/temp/proxy;
                fastcgi_temp_path \(prefix)/temp/fastcgi;
                uwsgi_temp_path \(prefix)/temp/uwsgi;
                scgi_temp_path \(prefix)/temp/scgi;
                default_type application/octet-stream;
                server {
                    listen \(host):\(port)\(certificate == nil ? "" : " ssl");
                    \(tls)
                    location /blobs/ { alias \(root)/; }
                    location /private/ {
                        if ($http_authorization != "Bearer \(Self.token)") { return 401; }
                        alias \(root)/;
                    }
                    location /moved/ { rewrite ^/moved/(.*)$ /blobs/$1 permanent; }
                    location /flaky/ {
                        if (-f \(prefix)/failing) { return 503; }
                        alias \(root)/;
                    }
                }
            }
            """
        try configuration.write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", prefix, "-c", prefix + "/nginx.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// `http://HOST:PORT` (https with a certificate).
    public var baseURL: String { "\(isSecure ? "https" : "http")://\(host):\(port)" }

    /// Makes `/flaky/` answer 503 (or serve again).
    public func setFailing(_ failing: Bool) {
        if failing {
            _ = FileManager.default.createFile(atPath: prefix + "/failing", contents: Data())
        } else {
            try? FileManager.default.removeItem(atPath: prefix + "/failing")
        }
    }

    /// Stops (SIGSTOP) or resumes (SIGCONT) nginx's workers: the kernel still accepts connections
    /// on the listening socket, but no request is answered, as with a server that hangs.
    public func setFrozen(_ frozen: Bool) {
        for worker in workers() { kill(worker, frozen ? SIGSTOP : SIGCONT) }
    }

    /// The processes whose parent is nginx's master, read from /proc.
    private func workers() -> [pid_t] {
        let master = process.processIdentifier
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == master ? pid : nil
        }
    }

    /// Waits without holding a thread: the tests share a small pool of them.
    private func waitUntilListening() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure("nginx exited at start: \((try? String(contentsOfFile: prefix + "/error.log", encoding: .utf8)) ?? "")")
            }
            if Self.accepts(host, port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure("nginx did not listen on \(port) within 10 s")
    }

    private static func accepts(_ host: String, _ port: Int) -> Bool {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Stops nginx (SIGTERM to the master, which stops its worker) and removes its directory.
    public func stop() {
        if process.isRunning {
            setFrozen(false)
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: prefix)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
