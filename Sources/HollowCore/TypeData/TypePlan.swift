/// What each column and pool of a type's storage means, derived from its schema. The storage of
/// every kind of type (object, list, set, map) is the same: a bit-packed array of fixed-width
/// records (columns side by side) plus pools of variable-length data, each pool indexed by an
/// end-offset column. Writers, readers, validation and delta application all work from this plan.
struct TypePlan: Sendable, Equatable {
    enum Column: Sendable, Equatable {
        /// A plain value (integer, float bits, bool, count).
        case value
        /// An ordinal of another type.
        case reference(target: String)
        /// One bit: set when the field is null.
        case nullFlag
        /// The end offset, in elements, of this record's run in the pools that use this column.
        case poolEnd
    }

    enum PoolContent: Sendable, Equatable {
        /// UTF-8 or raw bytes: 8-bit units.
        case bytes
        /// Ordinals of `target`; with `emptyMarker`, the all-ones value marks an empty hash bucket.
        case ordinals(target: String, emptyMarker: Bool)
    }

    struct Pool: Sendable, Equatable {
        var content: PoolContent
        /// The `poolEnd` column that indexes this pool.
        var endColumn: Int
    }

    /// Where the value of each object field lives.
    struct FieldSlot: Sendable, Equatable {
        var nullColumn: Int?
        var valueColumn: Int
        var pool: Int?
    }

    var columns: [Column] = []
    /// The widest each column may be: 1 bit for a null flag or a bool, 32 for an int (zigzag) or a
    /// float (its bits), 64 otherwise. The writer never needs more, and loading refuses more, so
    /// that every value reads back in its canonical form (an index compares stored bits).
    var maximumWidths: [Int] = []
    var pools: [Pool] = []
    /// The distinct `endColumn`s of `pools`, ascending (a map's two pools share one).
    var poolEndColumns: [Int] { Set(pools.map(\.endColumn)).sorted() }
    var fields: [FieldSlot] = []
    /// A list, set or map: records are runs of ordinals. Not told by `fields` being empty, which an
    /// object type without fields has too.
    var isCollection = false

    init(_ type: TypeSchema) {
        switch type {
        case .object(let object):
            for field in object.fields {
                var slot = FieldSlot(nullColumn: nil, valueColumn: 0, pool: nil)
                if field.isNullable {
                    slot.nullColumn = columns.count
                    columns.append(.nullFlag)
                }
                slot.valueColumn = columns.count
                switch field.type {
                case .string, .bytes:
                    slot.pool = pools.count
                    pools.append(Pool(content: .bytes, endColumn: columns.count))
                    columns.append(.poolEnd)
                case .reference(let target):
                    columns.append(.reference(target: target))
                default:
                    columns.append(.value)
                }
                fields.append(slot)
            }
            maximumWidths = columns.map { $0 == .nullFlag ? 1 : 64 }
            for (field, slot) in zip(object.fields, fields) {
                switch field.type {
                case .bool: maximumWidths[slot.valueColumn] = 1
                case .int, .float: maximumWidths[slot.valueColumn] = 32
                default: break
                }
            }
        case .list(_, let element):
            isCollection = true
            columns = [.poolEnd]
            maximumWidths = [64]
            pools = [Pool(content: .ordinals(target: element, emptyMarker: false), endColumn: 0)]
        case .set(_, let element):
            isCollection = true
            columns = [.poolEnd, .value]
            maximumWidths = [64, 64]
            pools = [Pool(content: .ordinals(target: element, emptyMarker: true), endColumn: 0)]
        case .map(_, let key, let value):
            isCollection = true
            columns = [.poolEnd, .value]
            maximumWidths = [64, 64]
            pools = [
                Pool(content: .ordinals(target: key, emptyMarker: true), endColumn: 0),
                Pool(content: .ordinals(target: value, emptyMarker: false), endColumn: 0),
            ]
        }
    }

    /// Column holding the element count of a set or map record.
    static let countColumn = 1
}

extension TypePlan.PoolContent {
    /// Whether the all-ones value marks an empty hash bucket (sets and maps).
    var hasEmptyMarker: Bool {
        if case .ordinals(_, true) = self { true } else { false }
    }
}
