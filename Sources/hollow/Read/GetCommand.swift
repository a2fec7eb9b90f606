import ArgumentParser
import Hollow
import HollowCore
import HollowTools

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the record of TYPE with the primary key KEY... as JSON.",
        discussion: "Give one KEY per field of the type's primary key, in its order: `hollow get --store DIR Movie 42`."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var versionOption: VersionOption
    @OptionGroup var output: OutputOptions

    @Argument(help: "An object type with a primary key.")
    var type: String

    @Argument(help: "The primary key's values, one per key field.")
    var key: [String]

    func run() async throws {
        try await reportingFailures {
            let state = try await storeOptions.loadState(version: versionOption.version)
            let schema = state.readState.schema
            guard let object = schema.object(type) else {
                throw ToolFailure(.usage, "version \(state.version) has no object type '\(type)'")
            }
            guard let fields = object.primaryKey else {
                throw ToolFailure(.usage, "\(type) has no primary key; use `hollow query` with FIELD=VALUE")
            }
            guard key.count == fields.count else {
                throw ToolFailure(.usage, "\(type)'s primary key is (\(fields.joined(separator: ", "))): give \(fields.count) value(s), got \(key.count)")
            }
            let values = try zip(fields, key).map { field, text in
                try KeyArguments.value(text, for: try KeyArguments.fieldType(field, from: type, in: schema), field: field)
            }
            let index: PrimaryKeyIndex
            do { index = try PrimaryKeyIndex(state.readState, type: type) } catch {
                throw ToolFailure(.software, "indexing \(type): \(error)")
            }
            guard let ordinal = index.ordinal(matching: values) else {
                throw ToolFailure(.notFound, "no \(type) with \(KeyArguments.describe(fields, key)) in version \(state.version)")
            }
            Terminal.line(RecordJSON(state: state.readState).object(type, ordinal))
        }
    }
}
