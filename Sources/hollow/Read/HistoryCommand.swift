import ArgumentParser
import Foundation
import Hollow

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the announced versions, oldest first, and the pin."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Show only the last this many versions.")
    var limit: Int?

    func run() async throws {
        try await reportingFailures {
            let (_, log) = try storeOptions.openForReading()
            let history = try await log.history()
            var announcements = history.announcements
            if let limit { announcements = Array(announcements.suffix(max(limit, 0))) }
            if output.json {
                let entries: [[String: Any]] = announcements.map { announcement in
                    var entry: [String: Any] = [
                        "version": announcement.version, "stateID": String(announcement.stateID, radix: 16),
                        "term": announcement.term, "producer": announcement.producerID,
                        "timestampMilliseconds": announcement.timestampMilliseconds, "tags": announcement.tags,
                    ]
                    if let previous = announcement.previousVersion { entry["previousVersion"] = previous }
                    for (name, blob) in [("snapshot", announcement.snapshot), ("delta", announcement.delta), ("reverseDelta", announcement.reverseDelta)] {
                        if let blob { entry[name] = ["name": blob.name.text, "bytes": blob.size, "sha256": blob.sha256] }
                    }
                    return entry
                }
                Terminal.line(Terminal.json(["announcements": entries, "pinnedVersion": history.pinnedVersion.map { $0 as Any } ?? NSNull(),
                                             "latestVersion": history.latest.map { $0.version as Any } ?? NSNull()]))
                return
            }
            guard !announcements.isEmpty else {
                Terminal.line("nothing announced yet")
                return
            }
            let formatter = ISO8601DateFormatter()
            for announcement in announcements {
                let time = formatter.string(from: Date(timeIntervalSince1970: Double(announcement.timestampMilliseconds) / 1000))
                let blobs = [("snapshot", announcement.snapshot), ("delta", announcement.delta), ("reverse", announcement.reverseDelta)]
                    .compactMap { name, blob in blob.map { "\(name) \(Terminal.formatBytes($0.size))" } }
                var line = "\(announcement.version)  \(time)  \(blobs.joined(separator: ", "))  term \(announcement.term)  \(announcement.producerID)"
                if !announcement.tags.isEmpty { line += "  " + announcement.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
                if announcement.version == history.pinnedVersion { line += "  (pinned)" }
                Terminal.line(line)
            }
            if let pinned = history.pinnedVersion {
                Terminal.line("consumers are pinned to version \(pinned) (latest \(history.latest!.version)); `hollow unpin` releases them")
            }
        }
    }
}
