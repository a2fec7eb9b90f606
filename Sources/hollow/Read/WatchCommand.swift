import ArgumentParser
import Foundation
import Hollow
import Synchronization

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the announcement log like a consumer and print each refresh: version, path, bytes, time.",
        discussion: "Runs until SIGINT or SIGTERM, or until --count refreshes. Failed refreshes are printed to standard error; the last good version stays served."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Stop after this many refreshes to a new version (the first load counts).")
    var count: Int?

    func run() async throws {
        try await reportingFailures {
            try await storeOptions.withStoreForReading { blobs, log in
                let consumer = Consumer(blobStore: blobs, announcementLog: log, configuration: .init(name: "hollow-watch"),
                                        logger: ToolLogging.logger("consumer"))
                let refreshes = Atomic<Int>(0)
                let json = output.json
                consumer.addRefreshListener { event in
                    switch event {
                    case .refreshed(let report):
                        guard report.changedVersion else { return }
                        if json {
                            Terminal.line(Terminal.json([
                                "version": report.toVersion, "from": report.fromVersion.map { $0 as Any } ?? NSNull(),
                                "path": report.path, "bytes": report.bytesFetched, "source": report.source.rawValue,
                                "milliseconds": report.duration.seconds * 1000,
                            ]))
                        } else {
                            let from = report.fromVersion.map { "from \($0)" } ?? "first load"
                            Terminal.line("version \(report.toVersion) (\(from)): \(report.path), \(Terminal.formatBytes(report.bytesFetched)), \(Terminal.formatDuration(report.duration))")
                        }
                        refreshes.add(1, ordering: .relaxed)
                    case .failed(let error, let serving):
                        Terminal.error("refresh failed: \(error); serving \(serving.map { "version \($0)" } ?? "nothing yet")")
                    }
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
