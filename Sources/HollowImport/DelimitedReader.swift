import Foundation
import HollowCore

/// Reads CSV (RFC 4180: cells in double quotes may hold separators, line breaks and `""` for a
/// quote) or TSV (no quoting; `\t`, `\n`, `\r` and `\\` escapes). The first row names the fields.
/// A cell holds a scalar, or a record of a one-field type by that field's value; an empty cell is
/// null for a nullable field and the empty string for a string field that is not nullable.
struct DelimitedReader {
    private var cursor: SourceCursor
    let context: ImportContext
    let tracker: SharedKeyTracker?
    /// Which part of its file this reader reads (0 for a whole file).
    var part = 0
    private let separator: UInt8
    private let quoted: Bool
    /// Reused for cells with quotes or escapes.
    private var scratch: [UInt8] = []

    /// Where each column goes: a field of the record, read as `value`.
    struct Column: Sendable {
        let field: Int
        let value: ImportShape.Value
        /// For a one-field record given by its value: the position of the record's type in the
        /// shape (a position, not the type itself: a column is copied for every cell, and a
        /// reference in it would be retained and released each time).
        let shorthandOf: Int?
        /// Whether the field may be null (an empty cell reads as null), kept here so that a cell
        /// does not copy its field's description (names and all) to ask.
        let isNullable: Bool
    }

    /// A reader of `bytes`, which start line `firstLine` of the file: line 1 (a byte order mark
    /// is skipped there), or a later line for a part of the file read beside the others.
    init(_ bytes: UnsafeRawBufferPointer, separator: UInt8, quoted: Bool, context: ImportContext, tracker: SharedKeyTracker?,
         firstLine: Int = 1) {
        self.tracker = tracker
        cursor = SourceCursor(bytes, firstLine: firstLine)
        self.separator = separator
        self.quoted = quoted
        self.context = context
        if firstLine == 1, cursor.peek() == 0xEF, cursor.peek(at: 1) == 0xBB, cursor.peek(at: 2) == 0xBF { cursor.advance(by: 3) }
    }

    /// Bytes read so far, and the line they end on.
    var position: Int { cursor.position }
    var line: Int { cursor.line }

    /// Reads the header row: which field each column holds.
    mutating func readHeader(of position: Int) throws(ImportError) -> [Column] {
        guard let object = context.shape.object(at: position) else { preconditionFailure("checked by the importer") }
        return try readHeader(object)
    }

    /// Reads the rows after the header (or of a part of the file), each a record of `columns`.
    mutating func readRows(of position: Int, columns: [Column], progress: ((Int) -> Void)?) throws(ImportError) -> Int {
        guard let object = context.shape.object(at: position) else { preconditionFailure("checked by the importer") }
        let context = context
        var count = 0
        // Rows are added a batch at a time; a problem of a row is thrown after the rows before
        // it are added, so that theirs come first.
        var batch = TopLevelBatch(object.schema)
        do {
            count = try readRows(of: object, columns: columns, into: &batch, progress: progress)
            try context.flush(&batch, tracker: tracker)
        } catch {
            try context.flush(&batch, tracker: tracker)
            throw error
        }
        progress?(cursor.position)
        return count
    }

    private mutating func readRows(of object: ImportShape.Object, columns: [Column], into batch: inout TopLevelBatch,
                                   progress: ((Int) -> Void)?) throws(ImportError) -> Int {
        let context = context
        var count = 0
        while !cursor.isAtEnd {
            if isLineBreak(cursor.peek()) {  // a blank line
                cursor.passLineBreak()
                continue
            }
            let line = cursor.line
            var index = 0
            var ended = false
            while !ended {
                // A quoted cell may span lines: its place is where it starts.
                let cellLine = cursor.line, column = cursor.column
                guard index < columns.count else {
                    throw context.error(.malformed(expected: "\(columns.count) cells, as in the header", found: "more"), line: cellLine, column: column)
                }
                let target = columns[index]
                try readCell { (text, quoted) throws(ImportError) in
                    try Self.set(text, quoted: quoted, for: target, in: object, into: &batch.records, context: context, line: cellLine, column: column)
                }
                index += 1
                ended = try endCell()
            }
            guard index == columns.count else {
                throw context.error(.malformed(expected: "\(columns.count) cells, as in the header", found: "\(index)"), line: line, column: 0)
            }
            try context.endTopLevel(tracker: tracker, line: line, column: 1, batch: &batch)
            count += 1
            if count & 0x3FFF == 0 {
                progress?(cursor.position)
                if context.shouldStop(part: part) { break }
            }
        }
        return count
    }

    private mutating func readHeader(_ object: ImportShape.Object) throws(ImportError) -> [Column] {
        let type = object.schema.name
        guard !cursor.isAtEnd else {
            throw context.error(.malformed(expected: "a header row naming the fields", found: "an empty file"), line: 1, column: 1)
        }
        var columns: [Column] = []
        var ended = false
        while !ended {
            let column = cursor.column
            let name = try readCell { (text, _) throws(ImportError) in String(decoding: text, as: UTF8.self) }
                .trimmingCharacters(in: .whitespaces)
            guard let index = object.fieldIndex(sourceName: name) else {
                throw context.error(.unknownField(type: type, field: name), line: 1, column: column)
            }
            guard !columns.contains(where: { $0.field == index }) else {
                throw context.error(.repeatedField(type: type, field: name), line: 1, column: column)
            }
            let field = object.fields[index]
            switch field.value {
            case .record(let target):
                guard let shorthandObject = context.shape.object(at: target), let shorthand = shorthandObject.shorthand else {
                    throw context.error(.unsupportedField(type: type, field: name, reason: "\(context.shape.describe(field.value)) cannot be written in one cell; use JSON Lines"),
                                        line: 1, column: column)
                }
                columns.append(Column(field: index, value: shorthand, shorthandOf: target, isNullable: field.isNullable))
            default:
                columns.append(Column(field: index, value: field.value, shorthandOf: nil, isNullable: field.isNullable))
            }
            ended = try endCell()
        }
        for (index, field) in object.fields.enumerated() where !field.isNullable && !columns.contains(where: { $0.field == index }) {
            throw context.error(.missingField(type: type, field: field.name), line: 1, column: 0)
        }
        return columns
    }

    /// Sets the field of `column` in the record being read from one cell: null for an empty cell of
    /// a nullable field (a quoted empty cell, `""`, is the empty string). A string is copied from
    /// the cell's bytes as they are, with no `String` made for it.
    private static func set(_ text: UnsafeRawBufferPointer, quoted: Bool, for column: Column, in object: ImportShape.Object,
                            into records: inout ObjectRecordBatch, context: ImportContext, line: Int, column position: Int) throws(ImportError) {
        if text.isEmpty, !(quoted && column.value == .string) {
            if column.isNullable { return try set(nil, column: column, into: &records, context: context, line: line, position: position) }
            if column.value != .string {
                throw context.error(.missingField(type: object.schema.name, field: object.fields[column.field].name), line: line, column: position)
            }
        }
        if column.value == .string, column.shorthandOf == nil {
            do { try records.set(column.field, utf8: text) } catch {
                let field = object.fields[column.field]
                throw context.error(.wrongType(type: object.schema.name, field: field.name, expected: context.shape.describe(field.value), found: "bytes that are not UTF-8"),
                                    line: line, column: position)
            }
            return
        }
        guard let value = ScalarText.value(text, as: column.value) else {
            let field = object.fields[column.field]
            let found = column.value == .string ? "bytes that are not UTF-8" : ScalarText.quote(text)
            throw context.error(.wrongType(type: object.schema.name, field: field.name, expected: context.shape.describe(field.value), found: found),
                                line: line, column: position)
        }
        guard let shorthandOf = column.shorthandOf.flatMap(context.shape.object(at:)) else {
            return try set(value, column: column, into: &records, context: context, line: line, position: position)
        }
        let ordinal = try context.addShorthand(shorthandOf, value, line: line, column: position)
        try set(.reference(ordinal), column: column, into: &records, context: context, line: line, position: position)
    }

    private static func set(_ value: FieldValue?, column: Column, into records: inout ObjectRecordBatch, context: ImportContext,
                            line: Int, position: Int) throws(ImportError) {
        do { try records.set(column.field, value) } catch { throw context.error(.refused(error), line: line, column: position) }
    }

    /// Reads one cell and calls `body` with its text (quotes and escapes decoded) and whether it was
    /// quoted. The cursor is left on the separator, line break or end after it.
    @inline(__always)
    private mutating func readCell<R>(_ body: (UnsafeRawBufferPointer, Bool) throws(ImportError) -> R) throws(ImportError) -> R {
        let separator = separator
        if quoted, cursor.peek() == UInt8(ascii: "\"") {
            let line = cursor.line, column = cursor.column
            cursor.advance()
            scratch.removeAll(keepingCapacity: true)
            while true {
                let start = cursor.position
                cursor.skip { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
                scratch.append(contentsOf: cursor.bytes(from: start))
                switch cursor.peek() {
                case nil:
                    throw context.error(.malformed(expected: "'\"' closing the cell that opens here", found: "the end of the file"), line: line, column: column)
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    // A line break inside the cell is kept as written, and counted (\r\n once).
                    if cursor.peek() == UInt8(ascii: "\r"), cursor.peek(at: 1) == UInt8(ascii: "\n") {
                        scratch.append(UInt8(ascii: "\r"))
                        cursor.advance()
                    }
                    scratch.append(cursor.peek()!)
                    cursor.advance()
                    cursor.noteLineBreak()
                default:  // a quote: doubled, or the end of the cell
                    cursor.advance()
                    guard cursor.peek() == UInt8(ascii: "\"") else {
                        guard cursor.peek() == nil || cursor.peek() == separator || isLineBreak(cursor.peek()) else {
                            throw malformed("a separator or the end of the line after the closing '\"'")
                        }
                        return try scratch.withUnsafeBytesTyped { (bytes) throws(ImportError) in try body(bytes, true) }
                    }
                    scratch.append(UInt8(ascii: "\""))
                    cursor.advance()
                }
            }
        }
        let start = cursor.position
        // CSV: a cell that does not open with a quote ends at the separator or line break and holds
        // no quote. TSV: a backslash starts an escape.
        let special = quoted ? UInt8(ascii: "\"") : UInt8(ascii: "\\")
        cursor.skip { $0 != separator && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != special }
        guard cursor.peek() == special else { return try body(cursor.bytes(from: start), false) }
        if quoted {
            throw malformed("no '\"' inside a cell that does not start with one (quote the whole cell and double the quote)")
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: cursor.bytes(from: start))
        while let byte = cursor.peek(), byte != separator, !isLineBreak(byte) {
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                cursor.advance()
                continue
            }
            switch cursor.peek(at: 1) {
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
            default:
                // An unknown escape is kept as it is.
                scratch.append(byte)
                cursor.advance()
                continue
            }
            cursor.advance(by: 2)
        }
        return try scratch.withUnsafeBytesTyped { (bytes) throws(ImportError) in try body(bytes, false) }
    }

    /// Passes the separator or line break after a cell; returns whether the row ended.
    private mutating func endCell() throws(ImportError) -> Bool {
        switch cursor.peek() {
        case nil: return true
        case separator:
            cursor.advance()
            return false
        default:
            cursor.passLineBreak()
            return true
        }
    }

    private func isLineBreak(_ byte: UInt8?) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }

    private func malformed(_ expected: String) -> ImportError {
        let found: String
        switch cursor.peek() {
        case nil: found = "the end of the file"
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): found = "the end of the line"
        case let byte?: found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "the byte \(byte)"
        }
        return context.error(.malformed(expected: expected, found: found), line: cursor.line, column: cursor.column)
    }
}
