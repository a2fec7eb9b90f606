import ArgumentParser
import Foundation
import Hollow
import HollowCore
import HollowTools

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the records added, removed and changed between two versions, by primary key.",
        discussion: "Object types with a primary key are compared record by record (with the fields that changed); other types by record count."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The older version.")
    var from: UInt64

    @Argument(help: "The newer version.")
    var to: UInt64

    @Option(name: .long, help: "Only this type.")
    var type: String?

    func run() async throws {
        try await reportingFailures {
            let old = try await storeOptions.loadState(version: from).readState
            let new = try await storeOptions.loadState(version: to).readState
            let reports = StateDiff(from: old, to: new, onlyType: type).types
            if let type, reports.isEmpty { throw ToolFailure(.usage, "neither version has a type '\(type)'") }
            if output.json {
                Terminal.line(Terminal.json(["from": from, "to": to, "types": reports.map(\.json)], pretty: true))
                return
            }
            Terminal.line("version \(from) -> \(to)")
            for report in reports where report.hasChanges { report.printText() }
            if !reports.contains(where: \.hasChanges) { Terminal.line("no changes") }
        }
    }
}
