import ArgumentParser
import Foundation
import Hollow

@main
struct HollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hollow",
        abstract: "Produce, read and follow swift-hollow datasets on a store directory.",
        discussion: """
            A store directory holds the blobs (blobs/) and the announcement log (announcements.jsonl). \
            Exit codes: 0 done, 1 not found, 64 bad arguments, 65 bad data (source, schema, validator), \
            66 missing input (file, store, version), 69 unavailable (nothing announced, blobs unusable), \
            70 internal error, 73 store not writable, 74 I/O error. See docs/CLI.md.
            """,
        version: "0.5.0",
        subcommands: [
            ProduceCommand.self, GetCommand.self, QueryCommand.self, WatchCommand.self, InspectCommand.self,
            DiffCommand.self, HistoryCommand.self, PinCommand.self, UnpinCommand.self, RepairLogCommand.self, ServeCommand.self,
        ]
    )

    /// Parses and runs the command, after arming the file fail points that `HOLLOW_FAILPOINTS`
    /// names (fault-injection tests only: docs/TESTING.md).
    static func main() async {
        if let specification = ProcessInfo.processInfo.environment["HOLLOW_FAILPOINTS"] {
            do { try FailPoints.arm(specification: specification) } catch {
                exit(withError: ValidationError("HOLLOW_FAILPOINTS: \(error)"))
            }
        }
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
