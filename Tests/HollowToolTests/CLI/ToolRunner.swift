import Foundation
import Testing

/// Runs the built `hollow` tool as a user would: a subprocess, its output and exit code.
struct ToolRunner {
    struct Result: CustomStringConvertible {
        let status: Int32
        let output: String
        let errors: String
        /// The signal that ended the process, if one did (then `status` is that signal's number).
        var signal: Int32? = nil
        var lines: [String] { output.split(separator: "\n").map(String.init) }
        var description: String { "exit \(status)\nstdout:\n\(output)\nstderr:\n\(errors)" }
    }

    /// The tool beside the test bundle (`swift build` puts every product in one directory), or in
    /// `HOLLOW_PRODUCTS` when set (a load test's release build).
    static let executable: URL = {
        if let products = ProcessInfo.processInfo.environment["HOLLOW_PRODUCTS"] {
            return URL(fileURLWithPath: products).appendingPathComponent("hollow")
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("hollow")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/hollow")
        return fromSource
    }()

    /// Another product of the package, beside the tool (`CatalogService`).
    static func product(_ name: String) -> URL { executable.deletingLastPathComponent().appendingPathComponent(name) }

    /// The repository's `fixtures/` directory.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures").path

    let directory: String

    init() {
        self.init(directory: NSTemporaryDirectory() + "hollow-tool-" + UUID().uuidString)
    }

    /// A runner whose files go to `directory` (created if needed).
    init(directory: String) {
        self.directory = directory
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    var store: String { directory + "/store" }

    func makeStore() throws {
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
    }

    /// Writes a file under the test's directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `hollow produce` of fixture version `version` into the store.
    func produceFixture(_ version: Int, _ extra: [String] = [], environment: [String: String] = [:]) async throws -> Result {
        let base = "\(Self.fixtures)/catalog/v\(version)"
        return try await run(["produce", "--schema", "\(base)/catalog.schema", "--store", store,
                              "--source", "\(base)/movies.jsonl", "\(base)/theaters.csv", "\(base)/studios.tsv"] + extra,
                             environment: environment)
    }

    /// Runs the tool to its end (at most `timeout`), output going to files so that no pipe fills up.
    func run(_ arguments: [String], timeout: Duration = .seconds(300), environment: [String: String] = [:]) async throws -> Result {
        let process = try start(arguments, environment: environment)
        let deadline = ContinuousClock.now + timeout
        while process.process.isRunning {
            if ContinuousClock.now > deadline {
                Issue.record("hollow \(arguments.joined(separator: " ")) did not finish within \(timeout)")
                // Stopped without `waitUntilExit`: on Linux it spins a core for as long as Foundation
                // has not seen the exit, which in one CI run was for ever (the tool a zombie).
                await process.stop()
                guard !process.process.isRunning else {
                    return Result(status: -1, output: process.output, errors: process.errors + "\n(the test runner never saw it exit)")
                }
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.finish()
    }

    final class Running: @unchecked Sendable {  // used by one test at a time
        let process: Process
        let outputPath: String
        let errorPath: String

        init(process: Process, outputPath: String, errorPath: String) {
            self.process = process
            self.outputPath = outputPath
            self.errorPath = errorPath
        }

        var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
        var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

        /// SIGTERM, then SIGKILL after `grace`; returns once the process is gone, without holding
        /// a thread of the concurrency pool meanwhile.
        func stop(grace: Duration = .seconds(10)) async {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            // At most a minute more: a process Foundation never sees exit must not hold the test for ever.
            let killed = ContinuousClock.now + .seconds(60)
            while process.isRunning, ContinuousClock.now < killed { try? await Task.sleep(for: .milliseconds(20)) }
        }

        func finish() -> Result {
            process.waitUntilExit()
            return Result(status: process.terminationStatus, output: output, errors: errors,
                          signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
        }
    }

    /// Starts the tool and returns at once (for `watch`), with `environment` added to the test's;
    /// `input` becomes its standard input; `launcher` runs it (`ip netns exec NAME`).
    func start(_ arguments: [String], environment: [String: String] = [:], input: Pipe? = nil, launcher: [String] = [],
               program: URL = ToolRunner.executable) throws -> Running {
        let id = UUID().uuidString
        let outputPath = directory + "/stdout-\(id)", errorPath = directory + "/stderr-\(id)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        if let wrapper = launcher.first {
            process.executableURL = URL(fileURLWithPath: wrapper)
            process.arguments = launcher.dropFirst() + [program.path] + arguments
        } else {
            process.executableURL = program
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        if let input { process.standardInput = input } else { process.standardInput = FileHandle.nullDevice }
        try process.run()
        return Running(process: process, outputPath: outputPath, errorPath: errorPath)
    }
}

/// The JSON object of a line of output.
func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}
