import ArgumentParser
import Foundation
import Hollow
import HollowCore

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a version: its types, record counts, memory per type and per field, and its blobs."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var versionOption: VersionOption
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingFailures {
            let state = try await storeOptions.loadState(version: versionOption.version)
            let readState = state.readState
            let memory = readState.memory
            // What a consumer configured with each type's primary-key index holds besides the state.
            var keyIndexBytes: [String: Int] = [:]
            for case .object(let object) in readState.schema.types where object.primaryKey != nil {
                keyIndexBytes[object.name] = (try? PrimaryKeyIndex(readState, type: object.name))?.memoryBytes
            }
            let announcement = state.announcement
            let blobs = [("snapshot", announcement.snapshot), ("delta", announcement.delta), ("reverseDelta", announcement.reverseDelta)]
            if output.json {
                var types: [[String: Any]] = []
                for type in memory.types {
                    var entry: [String: Any] = [
                        "name": type.name, "kind": readState.schema[type.name]!.kindName, "records": type.recordCount,
                        "ordinals": type.ordinalCount, "bitsPerRecord": type.bitsPerRecord, "bytes": type.totalBytes,
                        "recordBytes": type.recordBytes, "populatedBytes": type.populatedBytes, "shards": type.shardCount,
                        "pools": Dictionary(uniqueKeysWithValues: type.pools.map { ($0.name, $0.bytes) }),
                    ]
                    let dictionaries = type.pools.compactMap { pool in pool.dictionaryEntries.map { (pool.name, $0) } }
                    if !dictionaries.isEmpty { entry["dictionaryEntries"] = Dictionary(uniqueKeysWithValues: dictionaries) }
                    if let bytes = keyIndexBytes[type.name] { entry["primaryKeyIndexBytes"] = bytes }
                    if let records = readState.objectType(type.name) {
                        entry["fieldBits"] = Dictionary(uniqueKeysWithValues: records.fields.map { ($0.name, $0.bitsPerRecord) })
                    }
                    types.append(entry)
                }
                var blobEntries: [String: Any] = [:]
                for (name, blob) in blobs { if let blob { blobEntries[name] = ["name": blob.name.text, "bytes": blob.size] } }
                Terminal.line(Terminal.json([
                    "version": state.version, "stateID": String(readState.stateID, radix: 16), "term": announcement.term,
                    "producer": announcement.producerID, "bytes": memory.totalBytes, "types": types, "blobs": blobEntries,
                ], pretty: true))
                return
            }
            Terminal.line("version \(state.version)  state \(String(readState.stateID, radix: 16))  term \(announcement.term)  by \(announcement.producerID)")
            let blobText = blobs.compactMap { name, blob in blob.map { "\(name) \(Terminal.formatBytes($0.size))" } }
            Terminal.line("blobs: \(blobText.joined(separator: ", "))")
            Terminal.line("memory: \(Terminal.formatBytes(memory.totalBytes)) in \(memory.types.count) types")
            Terminal.line("")
            let header = pad("type", 24) + pad("kind", 8) + pad("records", 12, right: true) + pad("bits/record", 13, right: true) + pad("memory", 12, right: true)
            Terminal.line(header)
            for type in memory.types {
                Terminal.line(pad(type.name, 24) + pad(readState.schema[type.name]!.kindName, 8) + pad("\(type.recordCount)", 12, right: true)
                              + pad("\(type.bitsPerRecord)", 13, right: true) + pad(Terminal.formatBytes(type.totalBytes), 12, right: true))
                if let bytes = keyIndexBytes[type.name] {
                    Terminal.line("    primary-key index: \(Terminal.formatBytes(bytes)) (a consumer's, when configured)")
                }
                if type.shardCount > 1 {
                    Terminal.line("    \(type.shardCount) shards of 65,536 ordinals (a delta builds again only those it adds records to)")
                }
                if let records = readState.objectType(type.name) {
                    for field in records.fields {
                        let pool = type.pools.first { $0.name == field.name }
                        let poolText = pool.map { pool in
                            pool.dictionaryEntries.map { ", dictionary of \($0) values \(Terminal.formatBytes(pool.bytes))" }
                                ?? ", pool \(Terminal.formatBytes(pool.bytes))"
                        } ?? ""
                        Terminal.line("    \(field.name): \(field.type)\(field.isNullable ? "?" : "")  \(field.bitsPerRecord) bits\(poolText)")
                    }
                } else {
                    for pool in type.pools { Terminal.line("    \(pool.name): \(Terminal.formatBytes(pool.bytes))") }
                }
            }
        }
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(width - text.count, 1))
        return right ? padding + text : text + padding
    }
}
