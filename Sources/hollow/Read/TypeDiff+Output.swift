import HollowTools

/// How the tool shows a type's differences.
extension TypeDiff {
    var json: [String: Any] {
        var entry: [String: Any] = ["type": name, "fromRecords": fromRecordCount, "toRecords": toRecordCount]
        guard let primaryKey else { return entry }
        entry["primaryKey"] = primaryKey
        entry["added"] = added.map(\.key)
        entry["removed"] = removed.map(\.key)
        entry["changed"] = changed.map { ["key": $0.key, "fields": $0.fields] }
        return entry
    }

    func printText() {
        guard primaryKey != nil else {
            Terminal.line("\(name): \(fromRecordCount) -> \(toRecordCount) records (no primary key: compared by count)")
            return
        }
        Terminal.line("\(name): \(added.count) added, \(removed.count) removed, \(changed.count) changed (\(fromRecordCount) -> \(toRecordCount) records)")
        for entry in added { Terminal.line("  + \(entry.key.joined(separator: ", "))  \(entry.json)") }
        for entry in removed { Terminal.line("  - \(entry.key.joined(separator: ", "))") }
        for entry in changed { Terminal.line("  ~ \(entry.key.joined(separator: ", "))  \(entry.fields.joined(separator: ", "))") }
    }
}
