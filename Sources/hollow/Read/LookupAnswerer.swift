import Foundation
import Hollow
import HollowCore
import HollowTools

/// Answers `hollow watch --lookup TYPE`'s lines: a primary key of TYPE, looked up in the version
/// the consumer serves at that moment. The index is the answerer's own, carried from version to
/// version as a consumer carries its configured ones (an index the consumer kept would stop its
/// refreshes when TYPE has no primary key; here only the lookups are refused).
struct LookupAnswerer {
    let type: String
    let consumer: Consumer
    private var index: (version: UInt64, index: PrimaryKeyIndex)?

    init(type: String, consumer: Consumer) {
        self.type = type
        self.consumer = consumer
    }

    /// One JSON line for the key values in `line`.
    mutating func answer(_ line: String) -> String {
        let texts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let lookup = Terminal.json(texts)
        guard let state = consumer.current else {
            return #"{"error":"no version is served yet","lookup":\#(lookup),"record":null,"version":null}"#
        }
        func refused(_ reason: String) -> String {
            #"{"error":\#(Terminal.json(reason)),"lookup":\#(lookup),"record":null,"version":\#(state.version)}"#
        }
        let schema = state.readState.schema
        guard let fields = schema.object(type)?.primaryKey else {
            return refused("version \(state.version) has no object type '\(type)' with a primary key")
        }
        let index: PrimaryKeyIndex
        do {
            index = try self.index(of: state)
        } catch {
            return refused("indexing \(type): \(error)")
        }
        guard texts.count == fields.count else {
            return refused("\(type)'s primary key is (\(fields.joined(separator: ", "))): give \(fields.count) value(s), got \(texts.count)")
        }
        let values: [FieldValue]
        do {
            values = try zip(fields, texts).map { field, text in
                try KeyText.value(text, for: try KeyText.fieldType(field, from: type, in: schema), field: field)
            }
        } catch {
            return refused("\(error)")
        }
        let record = index.ordinal(matching: values).map { RecordJSON(state: state.readState).object(type, $0) } ?? "null"
        return #"{"lookup":\#(lookup),"record":\#(record),"version":\#(state.version)}"#
    }

    /// The index of `state`'s version: the last one updated by the delta when it is older, else built.
    private mutating func index(of state: ConsumerState) throws -> PrimaryKeyIndex {
        if let index, index.version == state.version { return index.index }
        let next = try index.map { try $0.index.updated(to: state.readState) } ?? PrimaryKeyIndex(state.readState, type: type)
        index = (state.version, next)
        return next
    }
}
