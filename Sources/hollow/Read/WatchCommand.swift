import ArgumentParser
import Foundation
import Hollow
import Synchronization

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the announcement log like a consumer and print each refresh: version, path, bytes, time.",
        discussion: """
            Runs until SIGINT or SIGTERM, or until --count refreshes. Failed refreshes are printed to standard error; the last good version stays served.
            With --lookup TYPE it also answers lookups by primary key read from standard input, as a service embedding a consumer would: one key a line (the key fields' values separated by tabs or spaces, or a JSON array of them), each answered with one JSON line, {"lookup":[...],"version":V,"record":...}, from the version being served ("record" is null when no record has that key, and an "error" says why a line got no answer).
            """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Stop after this many refreshes to a new version (the first load counts).")
    var count: Int?

    @Option(name: .long, help: "Answer lookups of TYPE's primary keys read from standard input, through an index kept up to date with each version.")
    var lookup: String?

    @Option(name: .long, help: "A directory for the consumer's local cache and image: a later watch with it serves the image at once, then follows the log from it.")
    var cache: String?

    func run() async throws {
        try await reportingFailures {
            try await storeOptions.withStoreForReading { blobs, log in
                let consumer = Consumer(blobStore: blobs, announcementLog: log,
                                        configuration: .init(name: "hollow-watch", localCacheDirectory: cache,
                                                             localImage: cache == nil ? nil : .init()),
                                        logger: ToolLogging.logger("consumer"))
                let refreshes = Atomic<Int>(0)
                let json = output.json
                let out = LineWriter()
                let lookups = lookup.map { LookupAnswerer(type: $0, consumer: consumer) }
                if let lookups {
                    consumer.addRefreshListener { event in
                        if case .refreshed = event, let state = consumer.current { lookups.follow(state) }
                    }
                }
                consumer.addRefreshListener { event in
                    switch event {
                    case .refreshed(let report):
                        guard report.changedVersion else { return }
                        if json {
                            out.write(Terminal.json([
                                "version": report.toVersion, "from": report.fromVersion.map { $0 as Any } ?? NSNull(),
                                "path": report.path, "bytes": report.bytesFetched, "source": report.source.rawValue,
                                "milliseconds": report.duration.seconds * 1000,
                                "servedAtMilliseconds": Int64(Date().timeIntervalSince1970 * 1000),
                            ]))
                        } else {
                            let from = report.fromVersion.map { "from \($0)" } ?? "first load"
                            let source = report.source == .blobStore ? "" : ", from the \(report.source.rawValue)"
                            out.write("version \(report.toVersion) (\(from)): \(report.path), \(Terminal.formatBytes(report.bytesFetched)), \(Terminal.formatDuration(report.duration))\(source)")
                        }
                        refreshes.add(1, ordering: .relaxed)
                    case .failed(let error, let serving):
                        Terminal.error("refresh failed: \(error); serving \(serving.map { "version \($0)" } ?? "nothing yet")")
                    }
                }
                if let lookups {
                    // Standard input blocks: a thread of its own, so that refreshes go on meanwhile.
                    let answering = Thread {
                        while let line = readLine() {
                            guard !line.allSatisfy(\.isWhitespace) else { continue }
                            out.write(lookups.answer(line))
                        }
                    }
                    answering.start()
                }
                let stop = await StopSignal()
                let watching = Task { await consumer.watch() }
                _ = try? await consumer.refresh()
                while !stop.isRequested {
                    if let count, refreshes.load(ordering: .relaxed) >= count { break }
                    await stop.sleep(.milliseconds(50))
                }
                watching.cancel()
                await watching.value
            }
        }
    }
}

/// Whole lines to standard output from several threads, never interleaved.
final class LineWriter: Sendable {
    private let lock = Mutex(())

    func write(_ line: String) {
        lock.withLock { _ in Terminal.line(line) }
    }
}
