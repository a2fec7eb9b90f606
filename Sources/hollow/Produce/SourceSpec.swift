import Foundation
import HollowCore
import HollowImport

/// One `--source [TYPE=]FILE`: a file of records of one object type, in one format.
struct SourceSpec {
    let type: String
    /// As given: errors name it.
    let path: String
    let format: SourceFormat
    /// The file actually read (links resolved), when it differs.
    var readPath: String? = nil

    /// Reads `[TYPE=]PATH`. Without `TYPE`, the file's name before its first dot names the type
    /// (any case, a trailing `s` allowed: `movies.jsonl` is `Movie`).
    static func resolve(_ text: String, schema: Schema, format: SourceFormat?) throws -> SourceSpec {
        var type: String?
        var path = text
        if let equals = text.firstIndex(of: "="), !text[..<equals].contains("/") {
            type = String(text[..<equals])
            path = String(text[text.index(after: equals)...])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ToolFailure(.noInput, "the source file \(path) does not exist")
        }
        let objectTypes = schema.types.compactMap { if case .object(let object) = $0 { object.name } else { nil } }
        let fileName = (path as NSString).lastPathComponent
        if let given = type {
            guard schema.object(given) != nil else {
                throw ToolFailure(.usage, "--source \(text): the schema has no object type '\(given)' (it has \(objectTypes.joined(separator: ", ")))")
            }
        } else {
            let stem = String(fileName.prefix { $0 != "." }).lowercased()
            type = objectTypes.first { $0.lowercased() == stem || $0.lowercased() + "s" == stem }
            guard type != nil else {
                throw ToolFailure(.usage, "--source \(text): no object type is named like the file; write TYPE=\(path) (types: \(objectTypes.joined(separator: ", ")))")
            }
        }
        guard let format = format ?? SourceFormat(fileName: fileName) else {
            throw ToolFailure(.usage, "--source \(text): the format cannot be told from the name; use --format jsonl, csv or tsv")
        }
        return SourceSpec(type: type!, path: path, format: format)
    }

    /// This source with its path's symbolic links resolved: a cycle resolves every path once, at its
    /// start, so that switching a directory link (`ln -sfn v2 next && mv -T next sources`) changes
    /// all the sources between two cycles, never during one.
    func resolvingLinks() -> SourceSpec {
        SourceSpec(type: type, path: path, format: format, readPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
    }

    /// The file's bytes, read whole (`SourceFile`): a mapped file rewritten in place during the
    /// cycle would mix two versions or fault, so the cycle works on its own copy, which the import
    /// gives back to the system page by page as it reads CSV and TSV rows.
    func read() throws -> SourceFile {
        let path = readPath ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ToolFailure(.noInput, "the source file \(path) does not exist")
        }
        do {
            return try SourceFile(contentsOf: path)
        } catch {
            throw ToolFailure(.noInput, "the source file \(path) cannot be read: \(error.reason)")
        }
    }
}
