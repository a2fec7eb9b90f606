/// Finds every record of an object type whose key fields (one or more, dotted paths may follow
/// references) equal a value, in O(1) plus the number of matches. Like `PrimaryKeyIndex`, it
/// compares keys in place and follows deltas incrementally.
///
///     let byYear = try HashIndex(state, type: "Movie", fields: ["year"])
///     for ordinal in byYear.ordinals(Int32(1999)) { ... }
public struct HashIndex: Sendable {
    @usableFromInline let core: IndexCore

    public init(_ state: ReadState, type: String, fields: [String]) throws(IndexError) {
        try self.init(state, type: type, fields: fields, minimumOrdinalBits: 1)
    }

    /// `minimumOrdinalBits` above the ordinals' shortens the tags of the table's slots, for tests
    /// of the probes that compare keys (see `IndexTable`).
    init(_ state: ReadState, type: String, fields: [String], minimumOrdinalBits: Int) throws(IndexError) {
        // Sized for one key in 16 records at first and doubled as keys come: a field of few values
        // (a year, a status) gets a table for a sixteenth of the records, not for all of them; a
        // field of many pays for re-placing the keys of the smaller tables once.
        let records = state.objectType(type)?.recordCount ?? 0
        core = try IndexCore(state: state, type: type, paths: fields, expectedKeys: Swift.max(records / 16, 8),
                             minimumOrdinalBits: minimumOrdinalBits)
    }

    init(core: IndexCore) { self.core = core }

    public var state: ReadState { core.state }
    public var type: String { core.key.type }
    public var fields: [String] { core.key.paths }

    /// Bytes the index holds: a hash table of 4-byte slots (at most half full) and a 4-byte chain
    /// entry per ordinal. Keys are not copied: a lookup compares the records' fields in place.
    public var memoryBytes: Int { core.table.memoryBytes }

    /// The ordinals of the records whose key fields equal `key`, in no particular order.
    @inlinable
    public func ordinals<each K: IndexKeyComponent>(_ key: repeat each K) -> Matches {
        Matches(first: core.firstMatch(repeat each key), next: core.table.next)
    }

    /// The records whose key fields equal `key`, one value per field in the order of `fields` (nil
    /// for a null): for keys known only at run time. Empty also when the count is wrong.
    public func ordinals(matching key: [FieldValue?]) -> Matches {
        Matches(first: core.firstMatch(values: key), next: core.table.next)
    }

    public func updated(to newState: ReadState) throws(IndexError) -> HashIndex {
        HashIndex(core: try core.updated(to: newState))
    }

    /// The records of one key: a walk along the index's chain, allocating nothing.
    public struct Matches: Sequence, Sendable {
        @usableFromInline let first: Int?
        @usableFromInline let next: IndexWords

        @inlinable
        init(first: Int?, next: IndexWords) {
            self.first = first
            self.next = next
        }

        public var isEmpty: Bool { first == nil }

        public struct Iterator: IteratorProtocol {
            @usableFromInline var current: Int?
            @usableFromInline let chain: IndexWords

            @inlinable
            init(current: Int?, chain: IndexWords) {
                self.current = current
                self.chain = chain
            }

            @inlinable
            public mutating func next() -> Int? {
                guard let ordinal = current else { return nil }
                let following = chain[ordinal]
                current = following == 0 ? nil : Int(following) &- 1
                return ordinal
            }
        }

        @inlinable
        public func makeIterator() -> Iterator { Iterator(current: first, chain: next) }
    }
}
