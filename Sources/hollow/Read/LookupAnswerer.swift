import Foundation
import Hollow
import HollowCore
import HollowTools
import Synchronization

/// Answers `hollow watch --lookup TYPE`'s lines: a primary key of TYPE, looked up in the version
/// the consumer serves at that moment. The index is the answerer's own, carried to each version
/// the consumer refreshes to (`follow`), as a consumer carries its configured ones; an index the
/// consumer kept would stop its refreshes when TYPE has no primary key, and here only the lookups
/// are refused.
final class LookupAnswerer: Sendable {
    let type: String
    private let consumer: Consumer
    private let indexed = Mutex<(version: UInt64, index: PrimaryKeyIndex)?>(nil)
    /// Whether standard error was told that TYPE cannot be looked up (once).
    private let warned = Atomic<Bool>(false)

    init(type: String, consumer: Consumer) {
        self.type = type
        self.consumer = consumer
    }

    /// Brings the index to `state`: by the delta from the version indexed, or built.
    func follow(_ state: ConsumerState) {
        guard state.readState.schema.object(type)?.primaryKey != nil else {
            if !warned.exchange(true, ordering: .relaxed) {
                Terminal.error("hollow: version \(state.version) has no object type '\(type)' with a primary key: lookups are refused")
            }
            return
        }
        indexed.withLock { indexed in
            guard indexed?.version != state.version else { return }
            let next = try? indexed.map { try $0.index.updated(to: state.readState) } ?? PrimaryKeyIndex(state.readState, type: type)
            indexed = next.map { (state.version, $0) }
        }
    }

    /// One JSON line for the key in `line`: the key fields' values separated by tabs or spaces,
    /// or a JSON array of them (for values holding spaces, or empty).
    func answer(_ line: String) -> String {
        let texts: [String]
        if line.first == "[" {
            guard let values = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any],
                  let strings = Self.texts(of: values) else {
                return Self.line(error: "not a JSON array of strings and numbers", lookup: Terminal.json(line), version: consumer.current?.version)
            }
            texts = strings
        } else {
            texts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        let lookup = Terminal.json(texts)
        guard let state = consumer.current else {
            return Self.line(error: "no version is served yet", lookup: lookup, version: nil)
        }
        let schema = state.readState.schema
        guard let fields = schema.object(type)?.primaryKey else {
            return Self.line(error: "version \(state.version) has no object type '\(type)' with a primary key", lookup: lookup, version: state.version)
        }
        guard texts.count == fields.count else {
            return Self.line(error: "\(type)'s primary key is (\(fields.joined(separator: ", "))): give \(fields.count) value(s), got \(texts.count)",
                             lookup: lookup, version: state.version)
        }
        let values: [FieldValue]
        do {
            values = try zip(fields, texts).map { field, text in
                try KeyArguments.value(text, for: try KeyArguments.fieldType(field, from: type, in: schema), field: field)
            }
        } catch {
            return Self.line(error: "\(error)", lookup: lookup, version: state.version)
        }
        follow(state)  // the listener may not have run yet for this version
        guard let index = indexed.withLock({ $0?.version == state.version ? $0?.index : nil }) else {
            return Self.line(error: "\(type) could not be indexed in version \(state.version)", lookup: lookup, version: state.version)
        }
        let record = index.ordinal(matching: values).map { RecordJSON(state: state.readState).object(type, $0) } ?? "null"
        return #"{"lookup":\#(lookup),"record":\#(record),"version":\#(state.version)}"#
    }

    private static func line(error: String, lookup: String, version: UInt64?) -> String {
        #"{"error":\#(Terminal.json(error)),"lookup":\#(lookup),"record":null,"version":\#(version.map(String.init) ?? "null")}"#
    }

    /// A JSON array's strings and numbers as key texts; nil when it holds anything else (a bool
    /// key is given as the string "true" or "false").
    private static func texts(of values: [Any]) -> [String]? {
        var texts: [String] = []
        for value in values {
            if let text = value as? String {
                texts.append(text)
            } else if let number = value as? NSNumber {
                texts.append(number.stringValue)
            } else {
                return nil
            }
        }
        return texts
    }
}
