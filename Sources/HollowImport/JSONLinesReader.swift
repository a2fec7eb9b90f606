import Foundation
import HollowCore

/// Reads JSON Lines: one JSON object per line, read straight into records as the schema directs,
/// with no tree of JSON values in between. Blank lines are skipped; a line break inside an object
/// is an error (JSON Lines keeps one record to a line).
struct JSONLinesReader {
    private var cursor: SourceCursor
    let context: ImportContext
    private(set) var tracker: PrimaryKeyTracker?
    /// Reused for strings with escapes.
    private var scratch: [UInt8] = []
    private var cache: ValueCache

    init(_ bytes: UnsafeRawBufferPointer, context: ImportContext, tracker: PrimaryKeyTracker?) {
        cache = ValueCache(typeCount: context.shape.types.count)
        self.tracker = tracker
        cursor = SourceCursor(bytes)
        self.context = context
        if cursor.peek() == 0xEF, cursor.peek(at: 1) == 0xBB, cursor.peek(at: 2) == 0xBF { cursor.advance(by: 3) }
    }

    mutating func readRecords(of position: Int, progress: ((Int) -> Void)?) throws(ImportError) -> Int {
        guard let object = context.shape.object(at: position) else { preconditionFailure("checked by the importer") }
        var count = 0
        while true {
            skipSpaces()
            guard let byte = cursor.peek() else { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                cursor.passLineBreak()
                continue
            }
            let line = cursor.line, column = cursor.column
            guard byte == UInt8(ascii: "{") else { throw malformed("a JSON object starting the line") }
            let record = try readObject(object)
            _ = try context.addTopLevel(record, tracker: &tracker, line: line, column: column)
            count += 1
            skipSpaces()
            if !cursor.isAtEnd {
                guard cursor.peek() == UInt8(ascii: "\n") || cursor.peek() == UInt8(ascii: "\r") else {
                    throw malformed("the end of the line after the object")
                }
                cursor.passLineBreak()
            }
            if count & 0x3FFF == 0 { progress?(cursor.position) }
        }
        progress?(cursor.position)
        return count
    }

    // MARK: Values

    /// Reads the value of a field, element, key or value of shape `shape`. `null` gives nil.
    private mutating func readValue(_ shape: ImportShape.Value, type: String, field: String) throws(ImportError) -> FieldValue? {
        if cursor.peek() == UInt8(ascii: "n") {
            try readLiteral("null")
            return nil
        }
        switch shape {
        case .int, .long:
            let (text, isInteger) = try readNumber(shape, type: type, field: field)
            guard isInteger, let number = NumberText.integer(text) else { throw wrongType(shape, type: type, field: field, found: "the number \(ScalarText.quote(text))", at: text.count) }
            if shape == .long { return .long(number) }
            guard let small = Int32(exactly: number) else { throw wrongType(shape, type: type, field: field, found: "\(number), outside its range", at: text.count) }
            return .int(small)
        case .float, .double:
            let (text, isInteger) = try readNumber(shape, type: type, field: field)
            let value: Double
            if isInteger, text.count <= 15, let number = NumberText.integer(text), number != 0 {
                value = Double(number)
            } else if let number = NumberText.double(text) {
                value = number  // also -0, which the integer path would make +0
            } else {
                throw wrongType(shape, type: type, field: field, found: ScalarText.quote(text), at: text.count)
            }
            guard let result = NumberText.fieldValue(value, as: shape) else {
                throw wrongType(shape, type: type, field: field, found: "\(ScalarText.quote(text)), outside its range", at: text.count)
            }
            return result
        case .bool:
            if cursor.peek() == UInt8(ascii: "t") { try readLiteral("true"); return .bool(true) }
            if cursor.peek() == UInt8(ascii: "f") { try readLiteral("false"); return .bool(false) }
            throw wrongType(shape, type: type, field: field)
        case .string:
            guard cursor.peek() == UInt8(ascii: "\"") else { throw wrongType(shape, type: type, field: field) }
            return .string(try readString())
        case .bytes:
            guard cursor.peek() == UInt8(ascii: "\"") else { throw wrongType(shape, type: type, field: field) }
            let column = cursor.column
            let text = try readString()
            guard let data = Data(base64Encoded: text) else {
                throw context.error(.wrongType(type: type, field: field, expected: context.shape.describe(shape), found: "text that is not base64"),
                                    line: cursor.line, column: column)
            }
            return .bytes(Array(data))
        case .record(let position):
            return .reference(try readRecord(position, type: type, field: field))
        }
    }

    /// A value that must not be null: an element, key or value of a collection.
    private mutating func readPresentValue(_ shape: ImportShape.Value, type: String, field: String) throws(ImportError) -> FieldValue {
        let column = cursor.column
        guard let value = try readValue(shape, type: type, field: field) else {
            throw context.error(.wrongType(type: type, field: field, expected: context.shape.describe(shape), found: "null"), line: cursor.line, column: column)
        }
        return value
    }

    /// Reads a record of the type at `position` and returns its ordinal; text read before in this
    /// file gives the ordinal it gave then.
    private mutating func readRecord(_ position: Int, type: String, field: String) throws(ImportError) -> Int {
        guard cache.isEnabled(for: position), let end = cursor.jsonValueEnd() else {
            return try readRecordText(position, type: type, field: field)
        }
        let text = cursor.bytes(from: cursor.position, to: end)
        let (cached, hash) = cache.ordinal(of: text, type: position)
        if let cached {
            cursor.skip(to: end)
            return cached
        }
        let ordinal = try readRecordText(position, type: type, field: field)
        if cursor.position == end { cache.remember(ordinal, of: text, hash: hash, type: position) }
        return ordinal
    }

    private mutating func readRecordText(_ position: Int, type: String, field: String) throws(ImportError) -> Int {
        let line = cursor.line, column = cursor.column
        let target = context.shape.types[position]
        switch target.kind {
        case .object(let object):
            if cursor.peek() == UInt8(ascii: "{") {
                return try context.add(try readObject(object), line: line, column: column)
            }
            guard let shorthand = object.shorthand, cursor.peek() != UInt8(ascii: "[") else {
                throw wrongType(.record(position), type: type, field: field)
            }
            let value = try readPresentValue(shorthand, type: object.schema.name, field: object.fields[0].name)
            return try context.addShorthand(object, value, line: line, column: column)
        case .list(let element), .set(let element):
            guard cursor.peek() == UInt8(ascii: "[") else { throw wrongType(.record(position), type: type, field: field) }
            var ordinals: [Int] = []
            try readArray { (reader) throws(ImportError) in
                guard case .reference(let ordinal) = try reader.readPresentValue(element, type: target.name, field: "element") else { preconditionFailure("records read as references") }
                ordinals.append(ordinal)
            }
            return try context.addCollection(position, keys: ordinals, values: nil, line: line, column: column)
        case .map(let key, let value):
            var keys: [Int] = [], values: [Int] = []
            if cursor.peek() == UInt8(ascii: "{") {
                guard case .record(let keyPosition) = key, let keyObject = context.shape.object(at: keyPosition), let keyShape = keyObject.shorthand else {
                    throw wrongType(.record(position), type: type, field: field, found: "an object, but \(target.name)'s keys are not of a one-field type: give [key, value] pairs")
                }
                try readObjectMembers { (reader, name, nameLine, nameColumn) throws(ImportError) in
                    guard let keyValue = ScalarText.value(name, as: keyShape) else {
                        throw reader.context.error(.wrongType(type: target.name, field: "key", expected: reader.context.shape.describe(keyShape),
                                                              found: ScalarText.quote(name)), line: nameLine, column: nameColumn)
                    }
                    keys.append(try reader.context.addShorthand(keyObject, keyValue, line: nameLine, column: nameColumn))
                    guard case .reference(let ordinal) = try reader.readPresentValue(value, type: target.name, field: "value") else { preconditionFailure() }
                    values.append(ordinal)
                }
            } else if cursor.peek() == UInt8(ascii: "[") {
                try readArray { (reader) throws(ImportError) in
                    guard reader.cursor.peek() == UInt8(ascii: "[") else { throw reader.malformed("a [key, value] pair") }
                    reader.cursor.advance()
                    reader.skipSpaces()
                    guard case .reference(let keyOrdinal) = try reader.readPresentValue(key, type: target.name, field: "key") else { preconditionFailure() }
                    reader.skipSpaces()
                    guard reader.cursor.peek() == UInt8(ascii: ",") else { throw reader.malformed("',' between the key and the value of a pair") }
                    reader.cursor.advance()
                    reader.skipSpaces()
                    guard case .reference(let valueOrdinal) = try reader.readPresentValue(value, type: target.name, field: "value") else { preconditionFailure() }
                    reader.skipSpaces()
                    guard reader.cursor.peek() == UInt8(ascii: "]") else { throw reader.malformed("']' closing a [key, value] pair") }
                    reader.cursor.advance()
                    keys.append(keyOrdinal)
                    values.append(valueOrdinal)
                }
            } else {
                throw wrongType(.record(position), type: type, field: field)
            }
            return try context.addCollection(position, keys: keys, values: values, line: line, column: column)
        }
    }

    /// Reads `{ "field": value, ... }` into a record of `object` (not yet added).
    private mutating func readObject(_ object: ImportShape.Object) throws(ImportError) -> ObjectRecord {
        var record = ObjectRecord(object.schema)
        var expected = 0
        var seen = FieldSet()
        try readObjectMembers { (reader, name, nameLine, nameColumn) throws(ImportError) in
            guard let index = object.fieldIndex(name, hint: expected) else {
                throw reader.context.error(.unknownField(type: object.schema.name, field: String(decoding: name, as: UTF8.self)), line: nameLine, column: nameColumn)
            }
            guard seen.insert(index) else {
                throw reader.context.error(.repeatedField(type: object.schema.name, field: object.fields[index].name), line: nameLine, column: nameColumn)
            }
            let field = object.fields[index]
            let valueColumn = reader.cursor.column
            let value = try reader.readValue(field.value, type: object.schema.name, field: field.name)
            if value == nil, !field.isNullable {
                throw reader.context.error(.wrongType(type: object.schema.name, field: field.name, expected: reader.context.shape.describe(field.value), found: "null"),
                                           line: reader.cursor.line, column: valueColumn)
            }
            do throws(WriteError) { try record.set(fieldAt: index, value) } catch {
                throw reader.context.error(.refused(error), line: reader.cursor.line, column: valueColumn)
            }
            expected = index + 1
        }
        return record
    }

    // MARK: Structure

    /// Reads `{ "name": value, ... }`, calling `member` with each name's bytes (escapes decoded)
    /// and the cursor on its value; `member` reads the value.
    private mutating func readObjectMembers(_ member: (inout JSONLinesReader, UnsafeRawBufferPointer, Int, Int) throws(ImportError) -> Void) throws(ImportError) {
        cursor.advance()  // {
        skipSpaces()
        if cursor.peek() == UInt8(ascii: "}") { cursor.advance(); return }
        while true {
            guard cursor.peek() == UInt8(ascii: "\"") else { throw malformed("a field name in double quotes") }
            let line = cursor.line, column = cursor.column
            // The name's bytes may live in `scratch`, which the value may reuse: they are copied out.
            var name = NameBytes()
            try withStringBytes { (bytes) throws(ImportError) in name.set(bytes) }
            skipSpaces()
            guard cursor.peek() == UInt8(ascii: ":") else { throw malformed("':' after the field name") }
            cursor.advance()
            skipSpaces()
            try name.withBytes { (bytes) throws(ImportError) in try member(&self, bytes, line, column) }
            skipSpaces()
            switch cursor.peek() {
            case UInt8(ascii: ","):
                cursor.advance()
                skipSpaces()
            case UInt8(ascii: "}"):
                cursor.advance()
                return
            default:
                throw malformed("',' or '}' after a value")
            }
        }
    }

    /// Reads `[ value, ... ]`, calling `element` with the cursor on each element.
    private mutating func readArray(_ element: (inout JSONLinesReader) throws(ImportError) -> Void) throws(ImportError) {
        cursor.advance()  // [
        skipSpaces()
        if cursor.peek() == UInt8(ascii: "]") { cursor.advance(); return }
        while true {
            try element(&self)
            skipSpaces()
            switch cursor.peek() {
            case UInt8(ascii: ","):
                cursor.advance()
                skipSpaces()
            case UInt8(ascii: "]"):
                cursor.advance()
                return
            default:
                throw malformed("',' or ']' after an element")
            }
        }
    }

    // MARK: Tokens

    private mutating func readNumber(_ shape: ImportShape.Value, type: String, field: String) throws(ImportError) -> (UnsafeRawBufferPointer, isInteger: Bool) {
        let start = cursor.position
        cursor.skip { byte in
            (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
        let text = cursor.bytes(from: start)
        let (length, isInteger) = NumberText.jsonNumberLength(text)
        guard length > 0, length == text.count else {
            let found = text.isEmpty ? nil : "\(ScalarText.quote(text)), which is not a JSON number"
            throw wrongType(shape, type: type, field: field, found: found, at: text.count)
        }
        return (text, isInteger)
    }

    private mutating func readLiteral(_ word: StaticString) throws(ImportError) {
        let bytes = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for (offset, byte) in bytes.enumerated() where cursor.peek(at: offset) != byte {
            throw malformed("'\(word)'")
        }
        cursor.advance(by: bytes.count)
    }

    private mutating func readString() throws(ImportError) -> String {
        let line = cursor.line, column = cursor.column
        let text = try withStringBytes { (bytes) throws(ImportError) in ScalarText.string(bytes) }
        guard let text else {
            throw context.error(.malformed(expected: "UTF-8 text", found: "bytes that are not UTF-8"), line: line, column: column)
        }
        return text
    }

    /// Reads a string token and calls `body` with its bytes, escapes decoded (into `scratch` when
    /// it has any).
    private mutating func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ImportError) -> R) throws(ImportError) -> R {
        cursor.advance()  // "
        let start = cursor.position
        cursor.skip { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 >= 0x20 }
        switch cursor.peek() {
        case UInt8(ascii: "\""):
            let bytes = cursor.bytes(from: start)
            cursor.advance()
            return try body(bytes)
        case UInt8(ascii: "\\"):
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: cursor.bytes(from: start))
            try readEscapedRest()
            return try scratch.withUnsafeBytesTyped(body)
        case nil:
            throw malformed("'\"' closing the string")
        default:
            throw malformed("'\"' closing the string (a control character must be escaped)")
        }
    }

    /// Reads the rest of a string after its first backslash into `scratch`.
    private mutating func readEscapedRest() throws(ImportError) {
        while let byte = cursor.peek() {
            switch byte {
            case UInt8(ascii: "\""):
                cursor.advance()
                return
            case UInt8(ascii: "\\"):
                cursor.advance()
                guard let escaped = cursor.peek() else { break }
                cursor.advance()
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escaped)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard cursor.peek() == UInt8(ascii: "\\"), cursor.peek(at: 1) == UInt8(ascii: "u") else {
                            throw malformed("the low surrogate of a UTF-16 pair (\\uDC00 to \\uDFFF)", found: "'\(Character(Unicode.Scalar(cursor.peek() ?? 0x20)))'")
                        }
                        cursor.advance(by: 2)
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw malformed("a low surrogate (\\uDC00 to \\uDFFF)") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw malformed("a Unicode scalar, not a lone low surrogate")
                    }
                    scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    cursor.advance(by: -1)
                    throw malformed("an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX")
                }
            case 0..<0x20:
                throw malformed("'\"' closing the string (a control character must be escaped)")
            default:
                let start = cursor.position
                cursor.skip { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 >= 0x20 }
                scratch.append(contentsOf: cursor.bytes(from: start))
            }
        }
        throw malformed("'\"' closing the string")
    }

    private mutating func readHex4() throws(ImportError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt32
            switch cursor.peek() {
            case let byte? where byte >= 0x30 && byte <= 0x39: digit = UInt32(byte - 0x30)
            case let byte? where byte >= 0x61 && byte <= 0x66: digit = UInt32(byte - 0x61 + 10)
            case let byte? where byte >= 0x41 && byte <= 0x46: digit = UInt32(byte - 0x41 + 10)
            default: throw malformed("four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            cursor.advance()
        }
        return value
    }

    private mutating func skipSpaces() {
        cursor.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    // MARK: Errors

    private func malformed(_ expected: String, found: String? = nil) -> ImportError {
        context.error(.malformed(expected: expected, found: found ?? self.found()), line: cursor.line, column: cursor.column)
    }

    /// A wrong-type error at the cursor (or `back` bytes before it, the start of a token read).
    private func wrongType(_ shape: ImportShape.Value, type: String, field: String, found: String? = nil, at back: Int = 0) -> ImportError {
        context.error(.wrongType(type: type, field: field, expected: context.shape.describe(shape), found: found ?? self.found()),
                      line: cursor.line, column: cursor.column - back)
    }

    /// What the cursor is on, in words.
    private func found() -> String {
        switch cursor.peek() {
        case nil: "the end of the file"
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): "the end of the line"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): cursor.peek(at: 1) == UInt8(ascii: "r") || cursor.peek(at: 1) == UInt8(ascii: "a") ? "a boolean" : "'\(Character(Unicode.Scalar(cursor.peek()!)))'"
        case UInt8(ascii: "n"): cursor.peek(at: 1) == UInt8(ascii: "u") ? "null" : "'n'"
        case let byte? where (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-"): "a number"
        case let byte? where byte >= 0x21 && byte < 0x7F: "'\(Character(Unicode.Scalar(byte)))'"
        case let byte?: String(format: "the byte 0x%02X", byte)
        }
    }
}

/// A field name copied out of the source (or the escape scratch): short names stay inline.
private struct NameBytes {
    private var inline: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count = 0
    private var spilled: [UInt8]?

    mutating func set(_ bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        if bytes.count <= 32 {
            withUnsafeMutableBytes(of: &inline) { $0.copyMemory(from: bytes) }
        } else {
            spilled = Array(bytes)
        }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ImportError) -> R) throws(ImportError) -> R {
        if let spilled { return try spilled.withUnsafeBytesTyped(body) }
        var copy = inline
        let count = count
        return try withUnsafeBytes(of: &copy) { (bytes) throws(ImportError) in try body(UnsafeRawBufferPointer(rebasing: bytes[..<count])) }
    }
}

/// Which fields of an object were given (a schema has at most 255 fields).
private struct FieldSet {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Adds `index`; false when it was there already.
    mutating func insert(_ index: Int) -> Bool {
        precondition(index >= 0 && index < 256, "a schema has at most 255 fields")
        let bit = UInt64(1) << UInt64(index & 63)
        return withUnsafeMutableBytes(of: &words) { raw in
            let word = raw.baseAddress!.assumingMemoryBound(to: UInt64.self) + (index >> 6)
            defer { word.pointee |= bit }
            return word.pointee & bit == 0
        }
    }
}
