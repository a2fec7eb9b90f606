import HollowCore

extension JSONLinesReader {
    /// A record value whose text is being read: an object's members, a list's or set's elements or
    /// a map's entries come next, and the record is added when its closing bracket is read. The
    /// reader keeps the open values of a line on a stack of its own, so that nesting as deep as a
    /// schema's chain of references costs heap memory (bounded by the schema: a chain has no
    /// cycle), never the thread's stack.
    struct OpenValue {
        enum Kind {
            case object(ImportShape.Object)
            case list(element: ImportShape.Value)
            case set(element: ImportShape.Value)
            /// `{ "key": value, ... }`: the keys are the names, of a one-field type.
            case mapObject(keyObject: ImportShape.Object, keyShape: ImportShape.Value, value: ImportShape.Value)
            /// `[ [key, value], ... ]`.
            case mapPairs(key: ImportShape.Value, value: ImportShape.Value)
        }

        /// Where the text stands between two reads of this value.
        enum Phase {
            /// Just after the opening bracket.
            case start
            /// After a member, element or entry.
            case afterItem
            /// Inside a `[key, value]` pair, after its key.
            case afterPairKey
            /// Inside a `[key, value]` pair, after its value.
            case afterPairValue
        }

        let kind: Kind
        /// The type's position in the shape; nil for the line's own record, which the caller adds.
        let position: Int?
        /// Where the value starts, for errors about the whole record.
        let line: Int
        let column: Int
        var phase = Phase.start
        /// The value's text and its hash, remembered with its ordinal when the whole text was read.
        var cached: (text: UnsafeRawBufferPointer, hash: UInt64, end: Int)?

        /// An object's record, the fields given so far, and the next field expected (a hint).
        var record: ObjectRecord?
        var seen = FieldSet()
        var expected = 0
        /// The field whose record value is open above this one, and the column where it started.
        var pendingField = 0
        var pendingColumn = 0

        /// A list's or set's elements, a map's keys and values so far.
        var keys: [Int] = []
        var values: [Int] = []
        /// A pair's key, read before its value.
        var pendingKey = 0

        init(_ kind: Kind, position: Int?, line: Int, column: Int) {
            self.kind = kind
            self.position = position
            self.line = line
            self.column = column
            if case .object(let object) = kind { record = ObjectRecord(object.schema) }
        }
    }

    /// A record value met in the text: read at once (a one-field shorthand, or a text read before),
    /// or opened and read by the loop.
    enum RecordStart {
        case read(ordinal: Int)
        case opened
    }
}
