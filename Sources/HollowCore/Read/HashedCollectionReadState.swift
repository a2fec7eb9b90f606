/// Read access to a set or map type: per-record hash tables placed by element (or key) ordinal, so
/// that membership and lookup are O(1).
public struct HashedCollectionReadState: Sendable {
    public let name: String
    public let schema: TypeSchema
    let state: TypeReadState
    @usableFromInline let table: ShardTable.Reader
    @usableFromInline let endWidth: Int
    @usableFromInline let countOffset: Int
    @usableFromInline let countWidth: Int
    @usableFromInline let keyBits: Int
    /// Whether the type is a map (a pool of values beside the keys).
    @usableFromInline let hasValues: Bool
    @usableFromInline let valueBits: Int
    public let ordinalCount: Int

    init(_ state: TypeReadState) {
        name = state.schema.name
        schema = state.schema
        self.state = state
        let data = state.data
        table = state.table.reader
        endWidth = data.widths[0]
        countOffset = data.offsets[TypePlan.countColumn]
        countWidth = data.widths[TypePlan.countColumn]
        let pools = data.shards[0].pools
        keyBits = pools[0].unitBits
        hasValues = pools.count > 1
        valueBits = pools.count > 1 ? pools[1].unitBits : 0
        ordinalCount = data.ordinalCount
    }

    public var recordCount: Int { state.data.populatedCount }
    public var ordinals: PopulatedOrdinals { PopulatedOrdinals(storage: state.data.populated, ordinalCount: ordinalCount, count: recordCount) }
    /// Whether `ordinal` holds a record (false out of range). Package access: HollowCodable's decoder
    /// checks an ordinal before it follows it.
    package func isPopulated(_ ordinal: Int) -> Bool { ordinal >= 0 && ordinal < ordinalCount && state.data.isPopulated(ordinal) }
    public var changes: TypeChanges? { state.changes }

    /// The record's shard's keys, and where its buckets lie in them.
    @inlinable @inline(__always)
    func buckets(_ ordinal: Int) -> (keys: BitStorage._UnsafeHandle, range: Range<Int>) {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        let (keys, start, count) = table.run(ordinal, pool: 0, offset: 0, width: endWidth, mask: BitWidth.mask(endWidth))
        return (keys, start..<(start &+ count))
    }

    /// The values of `ordinal`'s shard (a map's).
    @inlinable @inline(__always)
    func values(_ ordinal: Int) -> BitStorage._UnsafeHandle {
        table.handle(2, shard: ordinal &>> table.shardBits)
    }

    /// Number of elements (or entries) of record `ordinal`.
    @inlinable
    public func count(_ ordinal: Int) -> Int {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        return Int(truncatingIfNeeded: table.read(ordinal, offset: countOffset, width: countWidth, mask: BitWidth.mask(countWidth)))
    }

    /// The bucket holding `key`, or nil. Probes at most every bucket once, so a damaged table
    /// cannot loop.
    @inlinable
    func bucket(_ ordinal: Int, _ key: Int) -> Int? {
        let (keys, range) = buckets(ordinal)
        let size = range.count
        let empty = BitWidth.mask(keyBits)
        // An ordinal too wide for this type's buckets (the empty marker or more) is in none of them.
        guard size > 0, key >= 0, UInt64(key) < empty else { return nil }
        let wanted = UInt64(key)
        var probe = BucketLayout.home(of: wanted, bucketMask: size &- 1)
        for _ in 0..<size {
            let stored = keys.read(bit: (range.lowerBound &+ probe) &* keyBits, width: keyBits, mask: empty)
            if stored == wanted { return range.lowerBound &+ probe }
            if stored == empty { return nil }
            probe = (probe &+ 1) & (size &- 1)
        }
        return nil
    }

    /// Whether the set `ordinal` holds the element ordinal `element`.
    @inlinable
    public func contains(_ ordinal: Int, _ element: Int) -> Bool { bucket(ordinal, element) != nil }

    /// The value ordinal of map `ordinal` for key ordinal `key`.
    @inlinable
    public func value(_ ordinal: Int, forKey key: Int) -> Int? {
        guard hasValues, let bucket = bucket(ordinal, key) else { return nil }
        return Int(truncatingIfNeeded: values(ordinal).read(bit: bucket &* valueBits, width: valueBits, mask: BitWidth.mask(valueBits)))
    }

    /// The elements (sets) or keys (maps) of record `ordinal`, in bucket order.
    public func elements(_ ordinal: Int) -> [Int] { entries(ordinal).map(\.key) }

    /// The key and value ordinals of map `ordinal` (value is the key again for sets), in bucket order.
    public func entries(_ ordinal: Int) -> [(key: Int, value: Int)] {
        let empty = BitWidth.mask(keyBits)
        var result: [(key: Int, value: Int)] = []
        let (keys, range) = buckets(ordinal)
        let values: BitStorage._UnsafeHandle? = hasValues ? values(ordinal) : nil
        for bucket in range {
            let key = keys.read(bit: bucket * keyBits, width: keyBits, mask: empty)
            if key == empty { continue }
            let value = values.map { Int($0.read(bit: bucket * valueBits, width: valueBits, mask: BitWidth.mask(valueBits))) } ?? Int(key)
            result.append((Int(key), value))
        }
        return result
    }
}
