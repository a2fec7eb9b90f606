import ArgumentParser
import Foundation
import Hollow
import HollowCore

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
            var reports: [TypeDiff] = []
            let names = new.schema.types.map(\.name) + old.schema.types.map(\.name).filter { new.schema[$0] == nil }
            for name in names where type == nil || type == name {
                reports.append(try TypeDiff(name, old: old, new: new))
            }
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

/// The differences of one type between two states.
struct TypeDiff {
    let name: String
    let keyFields: [String]?
    var added: [(key: [String], record: String)] = []
    var removed: [(key: [String], record: String)] = []
    var changed: [(key: [String], fields: [String])] = []
    var oldCount = 0
    var newCount = 0

    var hasChanges: Bool { !added.isEmpty || !removed.isEmpty || !changed.isEmpty || oldCount != newCount }

    init(_ name: String, old: ReadState, new: ReadState) throws {
        self.name = name
        oldCount = old.recordCount(name)
        newCount = new.recordCount(name)
        let oldObject = old.schema.object(name), newObject = new.schema.object(name)
        // By key only when both versions have the type with the same primary key.
        guard let key = newObject?.primaryKey ?? oldObject?.primaryKey,
              oldObject == nil || oldObject?.primaryKey == key, newObject == nil || newObject?.primaryKey == key else {
            keyFields = nil
            return
        }
        keyFields = key
        let oldRender = RecordJSON(state: old), newRender = RecordJSON(state: new)
        let oldIndex = oldObject == nil ? nil : try? PrimaryKeyIndex(old, type: name)
        let newIndex = newObject == nil ? nil : try? PrimaryKeyIndex(new, type: name)
        if let records = new.objectType(name) {
            for ordinal in records.ordinals {
                let keyValues = Self.keyValues(key, type: name, ordinal: ordinal, in: new)
                let keyText = key.map { path in Self.keyText(path, type: name, ordinal: ordinal, in: new) }
                guard let oldOrdinal = keyValues.flatMap({ oldIndex?.ordinal(matching: $0) }), let oldRecords = old.objectType(name) else {
                    added.append((keyText, newRender.object(name, ordinal)))
                    continue
                }
                var fields: [String] = []
                for field in records.fields {
                    // A field the old version did not have counts as null there.
                    let before = oldRecords.field(field.name).map { oldRender.field(name, oldOrdinal, $0) } ?? "null"
                    if before != newRender.field(name, ordinal, field) { fields.append(field.name) }
                }
                for field in oldRecords.fields where records.field(field.name) == nil && oldRender.field(name, oldOrdinal, field) != "null" {
                    fields.append(field.name)
                }
                if !fields.isEmpty { changed.append((keyText, fields)) }
            }
        }
        if let records = old.objectType(name) {
            for ordinal in records.ordinals {
                let keyValues = Self.keyValues(key, type: name, ordinal: ordinal, in: old)
                if keyValues.flatMap({ newIndex?.ordinal(matching: $0) }) == nil {
                    removed.append((key.map { Self.keyText($0, type: name, ordinal: ordinal, in: old) }, oldRender.object(name, ordinal)))
                }
            }
        }
    }

    /// The key values of a record, read by following the key's paths.
    static func keyValues(_ key: [String], type: String, ordinal: Int, in state: ReadState) -> [FieldValue?]? {
        var values: [FieldValue?] = []
        for path in key {
            guard let (records, record, field) = resolve(path, type: type, ordinal: ordinal, in: state) else { return nil }
            if records.isNull(record, field) { values.append(nil); continue }
            switch field.type {
            case .int: values.append(.int(records.int(record, field)!))
            case .long: values.append(.long(records.long(record, field)!))
            case .float: values.append(.float(records.float(record, field)!))
            case .double: values.append(.double(records.double(record, field)!))
            case .bool: values.append(.bool(records.bool(record, field)!))
            case .string: values.append(.string(records.string(record, field)!))
            case .bytes: values.append(.bytes(records.bytes(record, field)!))
            case .reference: return nil
            }
        }
        return values
    }

    static func keyText(_ path: String, type: String, ordinal: Int, in state: ReadState) -> String {
        guard let (records, record, field) = resolve(path, type: type, ordinal: ordinal, in: state) else { return "\(path)=?" }
        return "\(path)=\(RecordJSON(state: state).field(records.name, record, field))"
    }

    private static func resolve(_ path: String, type: String, ordinal: Int, in state: ReadState) -> (ObjectTypeReadState, Int, FieldHandle)? {
        var records = state.objectType(type)
        var record = ordinal
        let parts = path.split(separator: ".").map(String.init)
        for (position, part) in parts.enumerated() {
            guard let current = records, let field = current.field(part) else { return nil }
            if position == parts.count - 1 { return (current, record, field) }
            guard case .reference(let target) = field.type, let next = current.reference(record, field) else { return nil }
            records = state.objectType(target)
            record = next
        }
        return nil
    }

    var json: [String: Any] {
        var entry: [String: Any] = ["type": name, "fromRecords": oldCount, "toRecords": newCount]
        guard let keyFields else { return entry }
        entry["primaryKey"] = keyFields
        entry["added"] = added.map { $0.key }
        entry["removed"] = removed.map { $0.key }
        entry["changed"] = changed.map { ["key": $0.key, "fields": $0.fields] }
        return entry
    }

    func printText() {
        guard keyFields != nil else {
            Terminal.line("\(name): \(oldCount) -> \(newCount) records (no primary key: compared by count)")
            return
        }
        Terminal.line("\(name): \(added.count) added, \(removed.count) removed, \(changed.count) changed (\(oldCount) -> \(newCount) records)")
        for entry in added { Terminal.line("  + \(entry.key.joined(separator: ", "))  \(entry.record)") }
        for entry in removed { Terminal.line("  - \(entry.key.joined(separator: ", "))") }
        for entry in changed { Terminal.line("  ~ \(entry.key.joined(separator: ", "))  \(entry.fields.joined(separator: ", "))") }
    }
}
