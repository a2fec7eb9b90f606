import Foundation
import Synchronization

/// One `hollow produce` process of a failover drill: started, signalled, restarted, and its
/// standard error followed line by line (the producer's debug log names each cycle stage).
final class ProducerProcess: Sendable {
    let id: String
    private let arguments: [String]
    private let directory: String
    private let environment: [String: String]
    private let state = Mutex(State())

    private struct State {
        var process: Process?
        var errorPath = ""
        /// Bytes of the current process's standard error already split into lines.
        var readOffset = 0
        var partial: [UInt8] = []
        var lines: [String] = []
    }

    init(id: String, arguments: [String], directory: String, environment: [String: String] = [:]) {
        self.id = id
        self.arguments = arguments + ["--producer-id", id]
        self.directory = directory
        self.environment = environment
    }

    /// Starts (or starts again, after a kill) the process; debug logging names the cycle stages.
    func start() throws {
        let running = try ToolRunner(directory: directory).start(arguments, environment: environment.merging(["HOLLOW_LOG_LEVEL": "debug"]) { $1 })
        state.withLock { state in
            state.process = running.process
            state.errorPath = running.errorPath
            state.readOffset = 0
            state.partial = []
        }
    }

    var pid: Int32 { state.withLock { $0.process?.processIdentifier ?? 0 } }

    /// The last `count` lines the current process wrote to standard error, for a drill's report.
    func lastErrorLines(_ count: Int) -> [String] {
        let path = state.withLock { $0.errorPath }
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(count).map(String.init)
    }

    func signal(_ number: Int32) {
        let pid = pid
        if pid > 0 { kill(pid, number) }
    }

    /// SIGKILL and wait for the process to be gone.
    func killAndReap() {
        let process = state.withLock { $0.process }
        guard let process else { return }
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM (the producer resigns after its cycle), SIGKILL after `grace`.
    func stop(grace: Duration = .seconds(20)) async {
        let process = state.withLock { $0.process }
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { killAndReap() }
    }

    /// Every line written to standard error so far (all starts), reading what is new.
    var lines: [String] {
        state.withLock { state in
            Self.readNew(&state)
            return state.lines
        }
    }

    /// The number of lines so far: a mark to wait for lines after.
    var lineCount: Int { lines.count }

    /// Waits for a line after `mark` that contains `text`; returns it, or nil after `timeout`.
    func waitForLine(containing text: String, after mark: Int, timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        var checked = mark
        while ContinuousClock.now < deadline {
            let lines = lines
            if let line = lines[checked...].first(where: { $0.contains(text) }) { return line }
            checked = lines.count
            try? await Task.sleep(for: .milliseconds(1))
        }
        return nil
    }

    private static func readNew(_ state: inout State) {
        guard let handle = FileHandle(forReadingAtPath: state.errorPath) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(state.readOffset))
        let data = (try? handle.readToEnd()) ?? Data()
        state.readOffset += data.count
        state.partial += data
        while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
            state.lines.append(String(decoding: state.partial[..<newline], as: UTF8.self))
            state.partial.removeSubrange(...newline)
        }
    }
}
