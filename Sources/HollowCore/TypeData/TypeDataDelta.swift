/// The change of one type between two states, as a delta carries it: ordinals removed, ordinals
/// added (both ascending) and the added records packed one after another in `added.count` slots.
///
/// A value an added object record shares with a record the delta removes (a changed record's
/// unchanged strings and bytes) need not travel: `copies` lists, per pool end column of the type
/// (ascending), which added records take their run from which removed record, and those added
/// records hold an empty run of their own there. Collection types never have copies.
struct TypeDataDelta: Sendable {
    /// Added record `added` (an index into `added`) takes the run of removed record `removed` (an
    /// index into `removed`).
    struct Copy: Sendable, Equatable {
        var added: Int
        var removed: Int
    }

    var ordinalCount: Int
    var removed: [Int]
    var added: [Int]
    var addedRecords: TypeData
    /// Per distinct pool end column of the type's plan, ascending: copies ascending by `added`, each
    /// removed record at most once. Empty when nothing is copied.
    var copies: [[Copy]] = []
}
