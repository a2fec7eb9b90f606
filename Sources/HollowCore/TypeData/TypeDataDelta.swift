/// The change of one type between two states, as a delta carries it: ordinals removed, ordinals
/// added (both ascending) and the added records packed one after another in `added.count` slots.
struct TypeDataDelta: Sendable {
    var ordinalCount: Int
    var removed: [Int]
    var added: [Int]
    var addedRecords: TypeData
}
