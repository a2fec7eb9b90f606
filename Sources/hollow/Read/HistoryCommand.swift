import ArgumentParser
import Foundation
import Hollow
import HollowCore
import HollowTools

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
            try await storeOptions.withStoreForReading { store, log in
                let announced = try await log.history()
                let shown = VersionHistory(announced, last: limit).entries.map(\.version)
                // Unknown (not false) when the blob store cannot be listed: the log alone still reads.
                let loadable = (try? await store.list()).map {
                    UpdatePlanner().loadableVersions(history: announced, storedBlobs: Set($0), among: shown)
                }
                let history = VersionHistory(announced, last: limit, loadableVersions: loadable)
                if output.json {
                    let entries: [[String: Any]] = history.entries.map { entry in
                        let announcement = entry.announcement
                        var json: [String: Any] = [
                            "version": announcement.version, "stateID": String(announcement.stateID, radix: 16),
                            "term": announcement.term, "producer": announcement.producerID,
                            "timestampMilliseconds": announcement.timestampMilliseconds, "tags": announcement.tags,
                        ]
                        if let previous = announcement.previousVersion { json["previousVersion"] = previous }
                        json["loadable"] = entry.isLoadable.map { $0 as Any } ?? NSNull()
                        for (kind, blob) in entry.blobs {
                            json[Self.jsonName(kind)] = ["name": blob.name.text, "bytes": blob.size, "sha256": blob.sha256]
                        }
                        return json
                    }
                    Terminal.line(Terminal.json(["announcements": entries, "pinnedVersion": history.pinnedVersion.map { $0 as Any } ?? NSNull(),
                                                 "latestVersion": history.latestVersion.map { $0 as Any } ?? NSNull()]))
                    return
                }
                guard !history.entries.isEmpty else {
                    Terminal.line("nothing announced yet")
                    return
                }
                let formatter = ISO8601DateFormatter()
                for entry in history.entries {
                    let announcement = entry.announcement
                    let blobs = entry.blobs.map { kind, blob in "\(Self.textName(kind)) \(Terminal.formatBytes(blob.size))" }
                    var line = "\(announcement.version)  \(formatter.string(from: entry.date))  \(blobs.joined(separator: ", "))  term \(announcement.term)  \(announcement.producerID)"
                    if !entry.sortedTags.isEmpty { line += "  " + entry.sortedTags.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
                    if entry.isPinned { line += "  (pinned)" }
                    if entry.isLoadable == false { line += "  (blobs gone: cannot be loaded)" }
                    Terminal.line(line)
                }
                if let pinned = history.pinnedVersion {
                    Terminal.line("consumers are pinned to version \(pinned) (latest \(history.latestVersion!)); `hollow unpin` releases them")
                }
            }
        }
    }
}

extension HistoryCommand {
    /// A blob's key in `--json` output.
    static func jsonName(_ kind: BlobKind) -> String {
        switch kind {
        case .snapshot: "snapshot"
        case .delta: "delta"
        case .reverseDelta: "reverseDelta"
        }
    }

    /// A blob's name in the text output.
    static func textName(_ kind: BlobKind) -> String {
        switch kind {
        case .snapshot: "snapshot"
        case .delta: "delta"
        case .reverseDelta: "reverse"
        }
    }
}
