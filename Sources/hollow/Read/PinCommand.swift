import ArgumentParser
import Hollow

struct PinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Make consumers serve VERSION (an announced one) instead of the latest.",
        discussion: "Consumers move there by reverse deltas (or a snapshot); new versions are still announced but not served until `hollow unpin`."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "An announced version.")
    var version: UInt64

    func run() async throws {
        try await reportingFailures {
            try await storeOptions.withStoreForReading { store, log in
                let history = try await log.history()
                if history.announcement(of: version) != nil {
                    // Consumers could not rebuild a version whose blobs were cleaned or lost: they would
                    // all stay where they are, failing, until an unpin.
                    let stored = Set(try await store.list())
                    let planner = UpdatePlanner()
                    guard planner.isLoadable(version, history: history, storedBlobs: stored) else {
                        let oldest = planner.loadableVersions(history: history, storedBlobs: stored).min().map { ", the oldest that can is \($0)" } ?? ""
                        throw ToolFailure(.noInput, "version \(version) cannot be loaded any more: its blobs are gone (cleaned or lost)\(oldest); see `hollow history`")
                    }
                }
                try await log.pin(version)
                Terminal.line("pinned to version \(version)")
            }
        }
    }
}
