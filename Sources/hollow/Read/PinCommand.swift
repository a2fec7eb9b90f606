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
            let (_, log) = try storeOptions.openForReading()
            try await log.pin(version)
            Terminal.line("pinned to version \(version)")
        }
    }
}
