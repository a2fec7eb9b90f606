/// Read access to a list type: the elements of each record, in order, as ordinals of the element type.
public struct ListTypeReadState: Sendable {
    public let name: String
    public let elementType: String
    let state: TypeReadState
    @usableFromInline let table: ShardTable.Reader
    @usableFromInline let endMask: UInt64
    @usableFromInline let endWidth: Int
    @usableFromInline let unitBits: Int
    public let ordinalCount: Int

    init(_ state: TypeReadState) {
        guard case .list(let name, let element) = state.schema else { preconditionFailure("not a list type") }
        self.name = name
        elementType = element
        self.state = state
        table = state.table.reader
        endWidth = state.data.widths[0]
        endMask = BitWidth.mask(endWidth)
        unitBits = state.data.shards[0].pools[0].unitBits
        ordinalCount = state.data.ordinalCount
    }

    public var recordCount: Int { state.data.populatedCount }
    public var ordinals: PopulatedOrdinals { PopulatedOrdinals(storage: state.data.populated, ordinalCount: ordinalCount, count: recordCount) }
    /// Whether `ordinal` holds a record (false out of range). Package access: HollowCodable's decoder
    /// checks an ordinal before it follows it.
    package func isPopulated(_ ordinal: Int) -> Bool { ordinal >= 0 && ordinal < ordinalCount && state.data.isPopulated(ordinal) }
    public var changes: TypeChanges? { state.changes }

    /// The list's shard's elements, and where its run lies in them.
    @inlinable @inline(__always)
    func run(_ ordinal: Int) -> (pool: BitStorage._UnsafeHandle, start: Int, count: Int) {
        precondition(UInt(bitPattern: ordinal) < UInt(bitPattern: ordinalCount), "ordinal out of range")
        return table.run(ordinal, pool: 0, offset: 0, width: endWidth, mask: endMask)
    }

    /// Number of elements of the list `ordinal`.
    @inlinable public func count(_ ordinal: Int) -> Int { run(ordinal).count }

    /// The element at `index` (an ordinal of the element type); `index` must be below `count`.
    @inlinable
    public func element(_ ordinal: Int, at index: Int) -> Int {
        let (elements, start, count) = run(ordinal)
        precondition(index >= 0 && index < count, "list index out of range")
        return Int(truncatingIfNeeded: elements.read(bit: (start &+ index) &* unitBits, width: unitBits, mask: BitWidth.mask(unitBits)))
    }

    /// All elements of the list `ordinal`.
    public func elements(_ ordinal: Int) -> [Int] { (0..<count(ordinal)).map { element(ordinal, at: $0) } }
}
