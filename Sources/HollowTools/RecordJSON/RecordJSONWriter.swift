import HollowCore

/// Writes one record of `RecordJSON` with a stack of its own, not by recursion: a record nested as
/// deep as its schema's chain of references (thousands of types, from a blob of unknown origin)
/// costs heap memory, not the thread's stack.
struct RecordJSONWriter {
    private let json: RecordJSON
    private var state: ReadState { json.state }
    /// The texts being written, innermost last: the record's own, then one per set element or map
    /// key being written, which are sorted by their text before they join the text below.
    private var texts = [""]
    private var open: [OpenRecord] = []

    /// A record whose parts are being written, and the next part.
    private struct OpenRecord {
        enum Kind {
            case object(ObjectTypeReadState, ordinal: Int)
            case list(element: String, ordinals: [Int])
            /// Elements are written to texts of their own, then sorted.
            case set(element: String, ordinals: [Int])
            /// Keys first, to texts of their own (sorted, and they decide the form)...
            case mapKeys(key: String, value: String, entries: [(key: Int, value: Int)])
            /// ... then each value after its key, in key order.
            case mapValues(value: String, entries: [(key: Int, value: Int)], keys: [String], order: [Int], asObject: Bool)
        }

        var kind: Kind
        var next = 0
        /// The texts of the elements or keys written so far.
        var written: [String] = []
    }

    init(json: RecordJSON) {
        self.json = json
    }

    /// Writes whatever is still open and returns the text.
    mutating func finish() -> String {
        while !open.isEmpty { writeNextPart() }
        precondition(texts.count == 1, "every element and key text was joined")
        return texts[0]
    }

    mutating func writeObject(_ type: String, _ ordinal: Int, allowShorthand: Bool) {
        guard let records = state.objectType(type) else { write("null"); return }
        // A one-field record is its value, unless that is null: `null` would read back as no
        // record at all.
        if allowShorthand, records.fields.count == 1, !isReference(records.fields[0].type), !records.isNull(ordinal, records.fields[0]) {
            writeField(records, ordinal, records.fields[0])
            return
        }
        write("{")
        open.append(OpenRecord(kind: .object(records, ordinal: ordinal)))
    }

    mutating func writeField(_ records: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) {
        if records.isNull(ordinal, field) { write("null"); return }
        if case .reference(let target) = field.type {
            writeRecord(target, records.reference(ordinal, field)!)
        } else {
            RecordJSON.appendScalar(records, ordinal, field, to: &texts[texts.count - 1])
        }
    }

    /// Writes a referenced record, or opens it when it has parts.
    private mutating func writeRecord(_ type: String, _ ordinal: Int) {
        switch state.schema[type] {
        case .object?:
            writeObject(type, ordinal, allowShorthand: true)
        case .list(_, let element)?:
            write("[")
            open.append(OpenRecord(kind: .list(element: element, ordinals: state.listType(type)!.elements(ordinal))))
        case .set(_, let element)?:
            let elements = state.hashedType(type)!.elements(ordinal)
            if elements.count < 2 {
                // Nothing to sort: written in place, like a list.
                write("[")
                open.append(OpenRecord(kind: .list(element: element, ordinals: elements)))
            } else {
                open.append(OpenRecord(kind: .set(element: element, ordinals: elements)))
            }
        case .map(_, let key, let value)?:
            open.append(OpenRecord(kind: .mapKeys(key: key, value: value, entries: state.hashedType(type)!.entries(ordinal))))
        case nil:
            write("null")
        }
    }

    /// Writes the next part of the innermost open record (which may open another), or closes it.
    private mutating func writeNextPart() {
        let top = open.count - 1
        let next = open[top].next
        open[top].next += 1
        switch open[top].kind {
        case .object(let records, let ordinal):
            guard next < records.fields.count else { close("}"); return }
            if next > 0 { write(", ") }
            let field = records.fields[next]
            RecordJSON.appendString(field.name, to: &texts[texts.count - 1])
            write(": ")
            writeField(records, ordinal, field)
        case .list(let element, let ordinals):
            guard next < ordinals.count else { close("]"); return }
            if next > 0 { write(", ") }
            writeRecord(element, ordinals[next])
        case .set(let element, let ordinals):
            // A set has no order: its elements are written sorted by their text, so output is stable.
            if next > 0 { open[top].written.append(texts.removeLast()) }
            guard next < ordinals.count else {
                write("[" + open[top].written.sorted(by: Self.precedes).joined(separator: ", "))
                close("]")
                return
            }
            texts.append("")
            writeRecord(element, ordinals[next])
        case .mapKeys(let key, let value, let entries):
            if next > 0 { open[top].written.append(texts.removeLast()) }
            guard next < entries.count else {
                let keys = open[top].written
                let order = keys.indices.sorted { Self.precedes(keys[$0], keys[$1]) }
                // Keys that are strings make a JSON object, in key order; others [key, value] pairs.
                // An empty map is an object only when the importer reads one for it: keys of a
                // one-field type.
                let asObject = keys.isEmpty ? hasOneScalarField(key) : keys.allSatisfy { $0.hasPrefix("\"") }
                write(asObject ? "{" : "[")
                open[top] = OpenRecord(kind: .mapValues(value: value, entries: entries, keys: keys, order: order, asObject: asObject))
                return
            }
            texts.append("")
            writeRecord(key, entries[next].key)
        case .mapValues(let value, let entries, let keys, let order, let asObject):
            if next > 0, !asObject { write("]") }
            guard next < entries.count else { close(asObject ? "}" : "]"); return }
            if next > 0 { write(", ") }
            let index = order[next]
            write(asObject ? keys[index] + ": " : "[" + keys[index] + ", ")
            writeRecord(value, entries[index].value)
        }
    }

    /// Texts in the order of their bytes: `String`'s `<` holds canonically equivalent texts equal,
    /// which would leave their order to the state's.
    private static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    private mutating func close(_ bracket: String) {
        write(bracket)
        open.removeLast()
    }

    private mutating func write(_ piece: String) {
        texts[texts.count - 1] += piece
    }

    private func isReference(_ type: FieldType) -> Bool { if case .reference = type { true } else { false } }

    private func hasOneScalarField(_ type: String) -> Bool {
        guard let object = state.schema.object(type) else { return false }
        return object.fields.count == 1 && !isReference(object.fields[0].type)
    }
}
