import ArgumentParser
import Hollow

struct UnpinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpin",
        abstract: "Let consumers follow the latest version again."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        try await reportingFailures {
            try await storeOptions.withStoreForReading { _, log in
                try await log.unpin()
                let latest = try await log.history().latest?.version
                Terminal.line("unpinned; consumers follow the latest version\(latest.map { " (\($0))" } ?? "")")
            }
        }
    }
}
