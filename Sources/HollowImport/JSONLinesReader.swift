import Foundation
import HollowCore

/// Reads JSON Lines: one JSON object per line, read straight into records as the schema directs,
/// with no tree of JSON values in between. Blank lines are skipped; a line break inside an object
/// is an error (JSON Lines keeps one record to a line).
struct JSONLinesReader {
    private var cursor: SourceCursor
    let context: ImportContext
    let tracker: SharedKeyTracker?
    /// Which part of its file this reader reads (0 for a whole file).
    var part = 0
    /// Reused for strings with escapes.
    private var scratch: [UInt8] = []
    private var cache: ValueCache
    /// The bytes of the key being noted (reused).
    private var keyBytes: [UInt8] = []
    /// The innermost record value open on the line being read, and the values that hold it,
    /// outermost first (kept apart so that the many changes to the innermost one touch no array).
    private var current = OpenValue.none
    private var outer: [OpenValue] = []
    /// The records of the open object values, and what the open collections have collected,
    /// innermost last.
    private var records: [ObjectRecord] = []
    private var collections: [OpenOrdinals] = []

    /// A reader of `bytes`, which start line `firstLine` of the file: line 1 (a byte order mark
    /// is skipped there), or a later line for a part of the file read beside the others.
    init(_ bytes: UnsafeRawBufferPointer, context: ImportContext, tracker: SharedKeyTracker?, firstLine: Int = 1) {
        cache = ValueCache(typeCount: context.shape.types.count)
        self.tracker = tracker
        cursor = SourceCursor(bytes, firstLine: firstLine)
        self.context = context
        if firstLine == 1, cursor.peek() == 0xEF, cursor.peek(at: 1) == 0xBB, cursor.peek(at: 2) == 0xBF { cursor.advance(by: 3) }
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
            let record = try readLineObject(object, position: position)
            _ = try context.addTopLevel(record, tracker: tracker, line: line, column: column, keyBytes: &keyBytes)
            count += 1
            skipSpaces()
            if !cursor.isAtEnd {
                guard cursor.peek() == UInt8(ascii: "\n") || cursor.peek() == UInt8(ascii: "\r") else {
                    throw malformed("the end of the line after the object")
                }
                cursor.passLineBreak()
            }
            if count & 0x3FFF == 0 {
                progress?(cursor.position)
                if context.shouldStop(part: part) { break }
            }
        }
        progress?(cursor.position)
        return count
    }

    // MARK: Nesting

    /// Reads the line's object (the cursor on its `{`) and every record nested in it, adding each
    /// nested record when it closes; returns the line's own record, not yet added. A loop, not
    /// recursion: a schema's chain of references may be tens of thousands of types long, and the
    /// recursive reader this replaces overflowed a 512 KiB stack at about 80 levels.
    private mutating func readLineObject(_ object: ImportShape.Object, position: Int) throws(ImportError) -> ObjectRecord {
        outer.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        collections.removeAll(keepingCapacity: true)
        current = OpenValue(.object, position: position, isLine: true, line: cursor.line, column: cursor.column)
        records.append(ObjectRecord(object.schema))
        cursor.advance()  // {
        while true {
            guard try readInnermost() else { continue }
            if current.isLine { return records.removeLast() }
            let ordinal = try addInnermost()
            current = outer.removeLast()
            try deliver(ordinal)
        }
    }

    /// Reads the innermost open value on, item by item, until an item opens a nested record value
    /// (false: that one is now the innermost) or the value's closing bracket is read (true).
    private mutating func readInnermost() throws(ImportError) -> Bool {
        switch context.shape.types[current.position].kind {
        case .object(let object):
            return try readMembers(of: object)
        case .list(let element), .set(let element):
            return try readElements(element)
        case .map(let key, let value):
            guard current.kind == .mapObject else { return try readPairs(key: key, value: value) }
            guard case .record(let keyPosition) = key, let keyObject = context.shape.object(at: keyPosition), let keyShape = keyObject.shorthand else {
                preconditionFailure("checked when the map was opened")
            }
            return try readEntries(keyObject: keyObject, keyShape: keyShape, value: value)
        }
    }

    /// An object's members: each name, then its value (a scalar read here, or a record opened).
    private mutating func readMembers(of object: ImportShape.Object) throws(ImportError) -> Bool {
        while true {
            if try passSeparator(closing: UInt8(ascii: "}"), after: "a value") { return true }
            let (name, nameLine, nameColumn) = try readMemberName()
            let index = try name.withBytes { (bytes) throws(ImportError) -> Int in
                guard let index = object.fieldIndex(bytes, hint: current.expected) else {
                    throw context.error(.unknownField(type: object.schema.name, field: String(decoding: bytes, as: UTF8.self)), line: nameLine, column: nameColumn)
                }
                return index
            }
            guard current.seen.insert(index) else {
                throw context.error(.repeatedField(type: object.schema.name, field: object.fields[index].name), line: nameLine, column: nameColumn)
            }
            let field = object.fields[index]
            let valueColumn = cursor.column
            if case .record(let position) = field.value, cursor.peek() != UInt8(ascii: "n") {
                current.pendingField = index
                current.pendingColumn = valueColumn
                guard case .read(let ordinal) = try startRecord(position, type: object.schema.name, field: field.name) else { return false }
                try deliver(ordinal)
                continue
            }
            let value = try readValue(field.value, type: object.schema.name, field: field.name)
            if value == nil, !field.isNullable {
                throw context.error(.wrongType(type: object.schema.name, field: field.name, expected: context.shape.describe(field.value), found: "null"),
                                    line: cursor.line, column: valueColumn)
            }
            try setField(index, value, column: valueColumn)
        }
    }

    /// A list's or set's elements, each a record: read at once, or opened.
    private mutating func readElements(_ element: ImportShape.Value) throws(ImportError) -> Bool {
        while true {
            if try passSeparator(closing: UInt8(ascii: "]"), after: "an element") { return true }
            guard case .read(let ordinal) = try startPresentRecord(element, type: typeName(), field: "element") else { return false }
            try deliver(ordinal)
        }
    }

    /// A map written as `{ "key": value, ... }`: each key, a one-field record made from the name,
    /// then its value, read at once or opened.
    private mutating func readEntries(keyObject: ImportShape.Object, keyShape: ImportShape.Value, value: ImportShape.Value) throws(ImportError) -> Bool {
        while true {
            if try passSeparator(closing: UInt8(ascii: "}"), after: "a value") { return true }
            let (name, line, column) = try readMemberName()
            let type = typeName()
            let key = try name.withBytes { (bytes) throws(ImportError) -> Int in
                guard let keyValue = ScalarText.value(bytes, as: keyShape) else {
                    throw context.error(.wrongType(type: type, field: "key", expected: context.shape.describe(keyShape), found: ScalarText.quote(bytes)),
                                        line: line, column: column)
                }
                return try context.addShorthand(keyObject, keyValue, line: line, column: column)
            }
            collections[collections.count - 1].keys.append(key)
            guard case .read(let ordinal) = try startPresentRecord(value, type: type, field: "value") else { return false }
            try deliver(ordinal)
        }
    }

    /// A map written as `[[key, value], ...]`: each pair's opening, key, value and closing, the key
    /// and the value read at once or opened.
    private mutating func readPairs(key: ImportShape.Value, value: ImportShape.Value) throws(ImportError) -> Bool {
        while true {
            switch current.phase {
            case .start, .afterItem:
                if try passSeparator(closing: UInt8(ascii: "]"), after: "an element") { return true }
                guard cursor.peek() == UInt8(ascii: "[") else { throw malformed("a [key, value] pair") }
                cursor.advance()
                skipSpaces()
                current.phase = .afterPairKey
                guard case .read(let ordinal) = try startPresentRecord(key, type: typeName(), field: "key") else { return false }
                try deliver(ordinal)
            case .afterPairKey:
                skipSpaces()
                guard cursor.peek() == UInt8(ascii: ",") else { throw malformed("',' between the key and the value of a pair") }
                cursor.advance()
                skipSpaces()
                current.phase = .afterPairValue
                guard case .read(let ordinal) = try startPresentRecord(value, type: typeName(), field: "value") else { return false }
                try deliver(ordinal)
            case .afterPairValue:
                skipSpaces()
                guard cursor.peek() == UInt8(ascii: "]") else { throw malformed("']' closing a [key, value] pair") }
                cursor.advance()
                current.phase = .afterItem
            }
        }
    }

    /// Hands the ordinal of a record value just read to the innermost open value, which holds it.
    private mutating func deliver(_ ordinal: Int) throws(ImportError) {
        switch current.kind {
        case .object:
            try setField(current.pendingField, .reference(ordinal), column: current.pendingColumn)
        case .list, .set:
            collections[collections.count - 1].keys.append(ordinal)
        case .mapObject:
            collections[collections.count - 1].values.append(ordinal)
        case .mapPairs:
            if current.phase == .afterPairKey {
                current.pendingKey = ordinal
            } else {
                collections[collections.count - 1].keys.append(current.pendingKey)
                collections[collections.count - 1].values.append(ordinal)
            }
        }
    }

    private mutating func setField(_ index: Int, _ value: FieldValue?, column: Int) throws(ImportError) {
        do throws(WriteError) { try records[records.count - 1].set(fieldAt: index, value) } catch {
            throw context.error(.refused(error), line: cursor.line, column: column)
        }
        current.expected = index + 1
    }

    /// Adds the record of the innermost open value, which has just closed (its own part stays in
    /// `current`), and remembers its text for the cache.
    private mutating func addInnermost() throws(ImportError) -> Int {
        let ordinal: Int
        switch current.kind {
        case .object:
            ordinal = try context.add(records.removeLast(), line: current.line, column: current.column)
        case .list, .set:
            ordinal = try context.addCollection(current.position, keys: collections.removeLast().keys, values: nil, line: current.line, column: current.column)
        case .mapObject, .mapPairs:
            let ordinals = collections.removeLast()
            ordinal = try context.addCollection(current.position, keys: ordinals.keys, values: ordinals.values, line: current.line, column: current.column)
        }
        if let cached = current.cached, cursor.position == cached.end { cache.remember(ordinal, of: cached.text, hash: cached.hash, type: current.position) }
        return ordinal
    }

    /// A record value that must not be null: an element, key or value of a collection.
    private mutating func startPresentRecord(_ shape: ImportShape.Value, type: String, field: String) throws(ImportError) -> RecordStart {
        let column = cursor.column
        if cursor.peek() == UInt8(ascii: "n") {
            try readLiteral("null")
            throw context.error(.wrongType(type: type, field: field, expected: context.shape.describe(shape), found: "null"), line: cursor.line, column: column)
        }
        guard case .record(let position) = shape else { preconditionFailure("collections hold records") }
        return try startRecord(position, type: type, field: field)
    }

    /// Starts a record of the type at `position`: text read before in this file gives the ordinal
    /// it gave then (near the top of the line only, so that finding a value's end costs at most
    /// that many passes over the line however deep it is nested).
    private mutating func startRecord(_ position: Int, type: String, field: String) throws(ImportError) -> RecordStart {
        guard outer.count < ValueCache.deepestCachedLevel, cache.isEnabled(for: position), let end = cursor.jsonValueEnd() else {
            return try openRecord(position, type: type, field: field)
        }
        let text = cursor.bytes(from: cursor.position, to: end)
        let (cached, hash) = cache.ordinal(of: text, type: position)
        if let cached {
            cursor.skip(to: end)
            return .read(ordinal: cached)
        }
        let start = try openRecord(position, type: type, field: field)
        switch start {
        case .read(let ordinal):
            if cursor.position == end { cache.remember(ordinal, of: text, hash: hash, type: position) }
        case .opened:
            current.cached = (text, hash, end)
        }
        return start
    }

    /// Opens a record value of the type at `position` (the cursor on its first byte), or reads it
    /// whole when it is a one-field record written as its value.
    private mutating func openRecord(_ position: Int, type: String, field: String) throws(ImportError) -> RecordStart {
        let line = cursor.line, column = cursor.column
        let target = context.shape.types[position]
        let kind: OpenValue.Kind
        switch target.kind {
        case .object(let object):
            if cursor.peek() != UInt8(ascii: "{") {
                guard let shorthand = object.shorthand, cursor.peek() != UInt8(ascii: "[") else {
                    throw wrongType(.record(position), type: type, field: field)
                }
                let value = try readPresentValue(shorthand, type: object.schema.name, field: object.fields[0].name)
                return .read(ordinal: try context.addShorthand(object, value, line: line, column: column))
            }
            kind = .object
            records.append(ObjectRecord(object.schema))
        case .list, .set:
            guard cursor.peek() == UInt8(ascii: "[") else { throw wrongType(.record(position), type: type, field: field) }
            if case .list = target.kind { kind = .list } else { kind = .set }
            collections.append(OpenOrdinals())
        case .map(let key, _):
            if cursor.peek() == UInt8(ascii: "{") {
                guard case .record(let keyPosition) = key, let keyObject = context.shape.object(at: keyPosition), keyObject.shorthand != nil else {
                    throw wrongType(.record(position), type: type, field: field, found: "an object, but \(target.name)'s keys are not of a one-field type: give [key, value] pairs")
                }
                kind = .mapObject
            } else if cursor.peek() == UInt8(ascii: "[") {
                kind = .mapPairs
            } else {
                throw wrongType(.record(position), type: type, field: field)
            }
            collections.append(OpenOrdinals())
        }
        outer.append(current)
        current = OpenValue(kind, position: position, isLine: false, line: line, column: column)
        cursor.advance()  // { or [
        return .opened
    }

    /// The name of the innermost open value's type (a collection's), for messages.
    private func typeName() -> String {
        context.shape.types[current.position].name
    }

    // MARK: Structure

    /// Moves past what comes before the next item of the innermost open value, or past its closing
    /// bracket (true).
    @inline(__always)
    private mutating func passSeparator(closing: UInt8, after item: StaticString) throws(ImportError) -> Bool {
        skipSpaces()
        if current.phase == .start {
            current.phase = .afterItem
            guard cursor.peek() == closing else { return false }
            cursor.advance()
            return true
        }
        switch cursor.peek() {
        case UInt8(ascii: ","):
            cursor.advance()
            skipSpaces()
            return false
        case closing:
            cursor.advance()
            return true
        default:
            throw malformed("',' or '\(Character(Unicode.Scalar(closing)))' after \(item)")
        }
    }

    /// Reads `"name":` and the spaces after it; the name's bytes (escapes decoded) are copied out,
    /// as they may live in the escape scratch, which the value may reuse.
    @inline(__always)
    private mutating func readMemberName() throws(ImportError) -> (NameBytes, line: Int, column: Int) {
        guard cursor.peek() == UInt8(ascii: "\"") else { throw malformed("a field name in double quotes") }
        let line = cursor.line, column = cursor.column
        var name = NameBytes()
        try withStringBytes { (bytes) throws(ImportError) in name.set(bytes) }
        skipSpaces()
        guard cursor.peek() == UInt8(ascii: ":") else { throw malformed("':' after the field name") }
        cursor.advance()
        skipSpaces()
        return (name, line, column)
    }

    // MARK: Scalars

    /// Reads a scalar value of shape `shape`, or `null` (nil). Record values are opened by the
    /// nesting loop, never read here.
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
        case .record:
            preconditionFailure("record values are opened by the nesting loop")
        }
    }

    /// A scalar value that must not be null: the one field of a record written as its value.
    private mutating func readPresentValue(_ shape: ImportShape.Value, type: String, field: String) throws(ImportError) -> FieldValue {
        let column = cursor.column
        guard let value = try readValue(shape, type: type, field: field) else {
            throw context.error(.wrongType(type: type, field: field, expected: context.shape.describe(shape), found: "null"), line: cursor.line, column: column)
        }
        return value
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
