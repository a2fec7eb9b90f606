import ArgumentParser
import Hollow
import HollowCore
import HollowTools

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the records of TYPE whose fields have the given values, one JSON object a line.",
        discussion: "Through a hash index on the fields given: `hollow query --store DIR Movie year=1999 director.name=Ann`."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var versionOption: VersionOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "An object type.")
    var type: String

    @Argument(help: ArgumentHelp("Field paths and values to match.", valueName: "FIELD=VALUE"))
    var conditions: [String]

    @Option(name: .long, help: "Print at most this many records.")
    var limit: Int?

    func validate() throws {
        guard !conditions.isEmpty else { throw ValidationError("give at least one FIELD=VALUE") }
        for condition in conditions where !condition.contains("=") { throw ValidationError("'\(condition)': write FIELD=VALUE") }
        if let limit, limit < 1 { throw ValidationError("--limit is at least 1") }
    }

    func run() async throws {
        try await reportingFailures {
            let state = try await storeOptions.loadState(version: versionOption.version)
            let schema = state.readState.schema
            guard schema.object(type) != nil else { throw ToolFailure(.usage, "version \(state.version) has no object type '\(type)'") }
            let pairs = conditions.map { condition in
                let parts = condition.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                return (field: parts[0], value: parts[1])
            }
            let values = try pairs.map { try KeyArguments.value($0.value, for: try KeyArguments.fieldType($0.field, from: type, in: schema), field: $0.field) }
            let index: HashIndex
            do { index = try HashIndex(state.readState, type: type, fields: pairs.map(\.field)) } catch {
                throw ToolFailure(.usage, "indexing \(type) by \(pairs.map(\.field).joined(separator: ", ")): \(error)")
            }
            let render = RecordJSON(state: state.readState)
            var count = 0
            for ordinal in index.ordinals(matching: values).sorted() {
                if let limit, count >= limit { break }
                Terminal.line(render.object(type, ordinal))
                count += 1
            }
            guard count > 0 else {
                throw ToolFailure(.notFound, "no \(type) with \(conditions.joined(separator: ", ")) in version \(state.version)")
            }
        }
    }
}
