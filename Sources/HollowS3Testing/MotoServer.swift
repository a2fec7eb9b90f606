import AsyncHTTPClient
import Foundation
import HollowS3
import HollowTesting
import NIOCore
import NIOHTTP1
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real S3-compatible server for tests: moto's server mode (`pip install "moto[server]"`) on a
/// free loopback port, stopped by its process id. moto keeps everything in memory: a restart
/// starts empty.
///
///     try await MotoServer.with { moto in
///         try await moto.createBucket("blobs")
///         let store = try S3BlobStore(configuration: moto.configuration(bucket: "blobs"))
///         ...
///     }
///
/// By default moto accepts any credentials and checks no signature. `authenticated: true` makes
/// it check them as S3 does: an admin user is made (its key is `credentials`), then every request
/// must be signed, with the right secret, by a user whose policy allows the action
/// (`createUser(_:allowing:)` makes more). moto ends by itself when the process that started it
/// is gone, so a crashed test leaves no server behind.
public final class MotoServer: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let authenticated: Bool
    /// The server's directory: its log.
    public let root: String
    private let pid = Mutex<pid_t>(0)
    private let admin = Mutex(S3Credentials(accessKeyID: "hollow-test", secretAccessKey: "hollow-test-secret"))

    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    public var logPath: String { root + "/moto.log" }
    /// The key to sign with: any key when not authenticated, the admin's when it is (a new one
    /// after each restart).
    public var credentials: S3Credentials { admin.withLock { $0 } }

    private init(port: Int, authenticated: Bool, root: String) {
        self.port = port
        self.authenticated = authenticated
        self.root = root
    }

    /// Starts a server and waits until it answers (60 s at most: moto's imports are slow on a
    /// loaded machine); tries another port when the chosen one was taken meanwhile.
    public static func start(authenticated: Bool = false) async throws -> MotoServer {
        let python = try pythonExecutable()
        var lastError: (any Error)?
        for _ in 0..<3 {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("hollow-moto-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let server = MotoServer(port: try freePort(), authenticated: authenticated, root: root)
            do {
                try await server.launch(python)
                return server
            } catch {
                lastError = error
                await server.stop()
            }
        }
        throw lastError ?? Failure(description: "moto did not start")
    }

    /// Starts a server, runs `body`, and stops the server whether `body` failed or not.
    public static func with<T>(authenticated: Bool = false, _ body: (MotoServer) async throws -> T) async throws -> T {
        let server = try await start(authenticated: authenticated)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private static let sharedServer = Mutex<Task<MotoServer, any Error>?>(nil)

    /// One unauthenticated server for the whole process, started at the first call (tests that
    /// only need a bucket of their own share it; it ends with the process).
    public static func shared() async throws -> MotoServer {
        let task = sharedServer.withLock { task in
            if let task { return task }
            let started = Task { try await MotoServer.start() }
            task = started
            return started
        }
        return try await task.value
    }

    /// A store configuration for `bucket` on this server: path-style, the server's credentials,
    /// short timeouts and few retries so that a stopped server is noticed quickly.
    public func configuration(bucket: String, prefix: String = "") -> S3BlobStore.Configuration {
        S3BlobStore.Configuration(bucket: bucket, prefix: prefix, region: "us-east-1", endpoint: endpoint, addressing: .path,
                                  credentials: .static(credentials), requestTimeout: .seconds(10), attempts: 3,
                                  backoff: .init(initial: .milliseconds(100), maximum: .seconds(1)))
    }

    /// SIGTERM, then SIGKILL after 5 s; waits for the exit and removes the directory.
    public func stop() async {
        await terminate()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Stops the process only, as a crash does (its log is kept).
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

    /// Starts it again on the same port, empty (an authenticated server gets a new admin key).
    public func restart() async throws {
        await terminate()
        try await launch(try Self.pythonExecutable())
    }

    /// The server stops answering (SIGSTOP) while its socket stays open: connections are
    /// accepted by the kernel and wait, as with a host that froze. Returns once it is stopped.
    public func pause() {
        let pid = pid.withLock { $0 }
        kill(pid, SIGSTOP)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, Self.state(of: pid) != "T" { usleep(1000) }
    }

    public func resume() { pid.withLock { _ = kill($0, SIGCONT) } }

    /// The server's output: its start-up lines and one line per request.
    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// One request the server answered, from its log.
    public struct Request: Sendable, Hashable {
        public var method: String
        /// The path and query, as sent.
        public var target: String
        public var status: Int
    }

    /// The requests answered so far, in order.
    public func requests() -> [Request] {
        log().split(separator: "\n").compactMap { line -> Request? in
            // 127.0.0.1 - - [06/Dec/2026 09:45:24] "PUT /bucket/key HTTP/1.1" 200 -
            guard let open = line.firstIndex(of: "\""), let close = line[line.index(after: open)...].firstIndex(of: "\"") else { return nil }
            let parts = line[line.index(after: open)..<close].split(separator: " ")
            let after = line[line.index(after: close)...].split(separator: " ")
            guard parts.count == 3, let status = after.first.flatMap({ Int($0) }) else { return nil }
            return Request(method: String(parts[0]), target: String(parts[1]), status: status)
        }
    }

    private func launch(_ python: String) async throws {
        // moto ends when its parent is gone (the process ended without stopping it: the shared
        // server, a crash), and takes its directory with it.
        let script = """
            import os, shutil, sys, threading, time
            parent = os.getppid()
            def watch():
                while os.getppid() == parent:
                    time.sleep(0.5)
                shutil.rmtree(sys.argv[1], ignore_errors=True)
                os._exit(0)
            threading.Thread(target=watch, daemon=True).start()
            from moto.server import main
            main(sys.argv[2:])
            """
        let arguments = [python, "-c", script, root, "-H", "127.0.0.1", "-p", String(port)]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, python, &actions, nil, &argv, environ)
        guard status == 0 else { throw Failure(description: "cannot start \(python): \(String(cString: strerror(status)))") }
        pid.withLock { $0 = child }

        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if Self.reaped(child) {
                pid.withLock { $0 = 0 }
                let output = log()
                if output.contains("No module named") {
                    throw Failure(description: "moto is not installed for \(python): python3 -m pip install \"moto[server]\" (scripts/test.sh does it)")
                }
                throw Failure(description: "moto exited at start: \(output.suffix(2000))")
            }
            if await answers() {
                if authenticated { try await requireSignatures() }
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure(description: "moto did not answer within 60 s: \(log().suffix(2000))")
    }

    /// Whether the server answers HTTP at all.
    private func answers() async -> Bool {
        var request = HTTPClientRequest(url: endpoint + "/moto-api/data.json")
        request.method = .GET
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) else { return false }
        _ = try? await response.body.collect(upTo: 16 << 20)
        return true
    }

    /// Makes the admin user (allowed everything), then turns moto's signature and permission
    /// checks on for every request.
    private func requireSignatures() async throws {
        let key = try await createUserUnchecked("hollow-admin", allowing: ["*"])
        admin.withLock { $0 = key }
        var request = HTTPClientRequest(url: endpoint + "/moto-api/reset-auth")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: "0"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw Failure(description: "moto refused to turn checks on: \(String(buffer: body))") }
    }

    private func createUserUnchecked(_ name: String, allowing actions: [String]) async throws -> S3Credentials {
        _ = try await iam(["Action": "CreateUser", "UserName": name])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["# + actions.map { "\"\($0)\"" }.joined(separator: ",")
            + #"],"Resource":"*"}]}"#
        _ = try await iam(["Action": "PutUserPolicy", "UserName": name, "PolicyName": "hollow-test", "PolicyDocument": policy])
        let answer = try await iam(["Action": "CreateAccessKey", "UserName": name])
        guard let keyID = Self.element("AccessKeyId", in: answer), let secret = Self.element("SecretAccessKey", in: answer) else {
            throw Failure(description: "moto's CreateAccessKey answer has no key: \(answer)")
        }
        return S3Credentials(accessKeyID: keyID, secretAccessKey: secret)
    }

    /// A user allowed `actions` (IAM action names, `s3:GetObject`, or `s3:*`), with a key of its
    /// own. Only an authenticated server checks what a user may do.
    public func createUser(_ name: String, allowing actions: [String]) async throws -> S3Credentials {
        try await createUserUnchecked(name, allowing: actions)
    }

    /// Creates `bucket`, signed with `credentials`.
    public func createBucket(_ bucket: String) async throws {
        let client = try S3Client(configuration: configuration(bucket: bucket))
        do { _ = try await client.send(S3Request(.other, .PUT, key: nil)) } catch {
            throw Failure(description: "cannot create the bucket \(bucket): \(error)")
        }
    }

    /// An IAM query call (form-encoded POST), signed for `iam` with the admin's key; the answer's XML.
    private func iam(_ parameters: [String: String]) async throws -> String {
        let body = (parameters.merging(["Version": "2010-05-08"]) { $1 }).sorted { $0.key < $1.key }
            .map { "\(URIEncoding.component($0.key))=\(URIEncoding.component($0.value))" }.joined(separator: "&")
        let time = SigV4Timestamp.now()
        let headers: [SigV4Request.Header] = [
            .init("host", "127.0.0.1:\(port)"), .init("x-amz-date", time.amzDate),
            .init("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        let signature = SigV4Signer(credentials: credentials, region: "us-east-1", service: "iam")
            .sign(SigV4Request(method: "POST", encodedPath: "/", headers: headers, payloadSHA256: Hex.sha256(Array(body.utf8))), at: time)
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.headers.add(name: "authorization", value: signature.authorization)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status == .ok else { throw Failure(description: "IAM \(parameters["Action"] ?? "") failed: \(response.status): \(answer)") }
        return answer
    }

    private static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// The state letter of /proc/PID/stat ("T": stopped).
    private static func state(of pid: pid_t) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[close...].dropFirst().first { $0 != " " }
    }

    private static func reaped(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result < 0 && errno == ECHILD)
    }

    /// The Python that runs moto: `HOLLOW_MOTO_PYTHON`, else `python3` on PATH (the one
    /// `python3 -m pip install "moto[server]"` installed it for).
    public static func pythonExecutable() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["HOLLOW_MOTO_PYTHON"], !chosen.isEmpty { return chosen }
        for directory in (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"] {
            let candidate = "\(directory)/python3"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw Failure(description: "python3 not found on PATH: install Python 3, then python3 -m pip install \"moto[server]\"")
    }

    /// A port nobody listens on now (`LoopbackPort.free()`).
    public static func freePort() throws -> Int {
        do { return try LoopbackPort.free() } catch { throw Failure(description: error.description) }
    }
}
