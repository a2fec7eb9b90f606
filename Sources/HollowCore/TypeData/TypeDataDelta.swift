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

extension TypeDataDelta {
    /// Checks that the removed ordinals ascend and are records of the origin (of `originCount`
    /// ordinals), and that the added ones ascend below the delta's ordinal count.
    func checkOrdinals(originCount: Int, isRecord: (Int) -> Bool, type: String) throws(BlobError) {
        var previous = -1
        for ordinal in removed {
            guard ordinal > previous, ordinal < originCount, isRecord(ordinal) else {
                throw .corrupt("\(type): removed ordinal \(ordinal) is not a record of the origin state (or not ascending)")
            }
            previous = ordinal
        }
        previous = -1
        for ordinal in added {
            guard ordinal > previous, ordinal < ordinalCount else {
                throw .corrupt("\(type): added ordinal \(ordinal) is out of range or not ascending")
            }
            previous = ordinal
        }
    }
}
