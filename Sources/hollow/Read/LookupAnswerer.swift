import Foundation
import Hollow
import HollowCore
import HollowTools

/// Answers `hollow watch --lookup TYPE`'s lines: a primary key of TYPE, looked up in the version
/// the consumer serves at that moment through the index the consumer keeps.
struct LookupAnswerer {
    let type: String
    let consumer: Consumer

    /// One JSON line for the key values in `line`.
    func answer(_ line: String) -> String {
        let texts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let lookup = Terminal.json(texts)
        guard let state = consumer.current else {
            return #"{"error":"no version is served yet","lookup":\#(lookup),"record":null,"version":null}"#
        }
        func refused(_ reason: String) -> String {
            #"{"error":\#(Terminal.json(reason)),"lookup":\#(lookup),"record":null,"version":\#(state.version)}"#
        }
        let schema = state.readState.schema
        guard let fields = schema.object(type)?.primaryKey, let index = state.primaryKeyIndex(type) else {
            return refused("version \(state.version) has no object type '\(type)' with a primary key")
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
}
