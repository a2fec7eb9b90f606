import HollowCore

extension JSONLinesReader {
    /// A record value whose text is being read: an object's members, a list's or set's elements or
    /// a map's entries come next, and the record is added when its closing bracket is read. The
    /// reader keeps the open values of a line on stacks of its own, so that nesting as deep as a
    /// schema's chain of references costs heap memory (bounded by the schema: a chain has no
    /// cycle), never the thread's stack. This part holds no reference, so that opening and closing
    /// a value moves plain bytes; what the value collects (its `ObjectRecord`, or its
    /// `OpenOrdinals`) is on a stack beside it.
    struct OpenValue {
        enum Kind {
            case object, list, set
            /// `{ "key": value, ... }`: the keys are the names, of a one-field type.
            case mapObject
            /// `[ [key, value], ... ]`.
            case mapPairs
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
        /// The type's position in the shape.
        let position: Int
        /// The line's own record, which the caller adds.
        let isLine: Bool
        /// Where the value starts, for errors about the whole record.
        let line: Int
        let column: Int
        var phase = Phase.start
        /// The value's text and its hash, remembered with its ordinal when the whole text was read.
        var cached: (text: UnsafeRawBufferPointer, hash: UInt64, end: Int)?
        /// An object's fields given so far, and the next field expected (a hint).
        var seen = FieldSet()
        var expected = 0
        /// The field whose record value is open above this one, and the column where it started.
        var pendingField = 0
        var pendingColumn = 0
        /// A pair's key, read before its value.
        var pendingKey = 0

        /// No value: what the reader holds between lines.
        static var none: OpenValue { OpenValue(.list, position: 0, isLine: false, line: 0, column: 0) }

        init(_ kind: Kind, position: Int, isLine: Bool, line: Int, column: Int) {
            self.kind = kind
            self.position = position
            self.isLine = isLine
            self.line = line
            self.column = column
        }
    }

    /// What an open list, set or map has collected: a list's or set's elements (`keys`), or a
    /// map's keys and values.
    struct OpenOrdinals {
        var keys: [Int] = []
        var values: [Int] = []
    }

    /// A record value met in the text: read at once (a one-field shorthand, or a text read before),
    /// or opened and read by the loop.
    enum RecordStart {
        case read(ordinal: Int)
        case opened
    }
}
