/// The records of one type across cycles: each distinct record (by canonical encoding) holds one
/// ordinal for as long as it stays in the dataset; ordinals of removed records are reused from the
/// cycle after their removal, lowest first.
struct TypeWriteState: Sendable {
    let schema: TypeSchema
    let plan: TypePlan
    private(set) var ordinalByContent: [[UInt8]: Int] = [:]
    private(set) var contentByOrdinal: [[UInt8]?] = []
    /// Records of the last committed state.
    private(set) var committed = OrdinalSet()
    /// Records added in the cycle under way.
    private(set) var current = OrdinalSet()
    /// Free ordinals, highest first so that `popLast` reuses the lowest.
    private var free: [Int] = []
    /// The ordinal count written for the last committed state.
    private(set) var committedOrdinalCount = 0

    /// The ordinal count a state of this type declares: every ordinal ever handed out. It never
    /// shrinks, so a delta grows a consumer's storage only by the records it adds, and a reverse
    /// delta only shrinks it: no blob has to ask for room for empty ordinals (which a reader bounds).
    var ordinalCount: Int { contentByOrdinal.count }

    init(schema: TypeSchema) {
        self.schema = schema
        plan = TypePlan(schema)
    }

    /// The committed records of a state that was read back: each record keeps its ordinal, so
    /// that the next delta continues from that state.
    init(restoring state: TypeReadState) {
        self.init(schema: state.schema)
        let data = state.data
        contentByOrdinal = Array(repeating: nil, count: data.ordinalCount)
        ordinalByContent.reserveCapacity(data.populatedCount)
        data.forEachPopulated { ordinal in
            let content = RecordReading.canonicalContent(of: ordinal, in: state)
            contentByOrdinal[ordinal] = content
            ordinalByContent[content] = ordinal
            committed.insert(ordinal)
        }
        for ordinal in stride(from: data.ordinalCount - 1, through: 0, by: -1) where contentByOrdinal[ordinal] == nil {
            free.append(ordinal)
        }
        current = committed
        committedOrdinalCount = data.ordinalCount
    }

    /// Starts a cycle: forgets the records removed by the last committed cycle and frees their ordinals.
    mutating func beginCycle() {
        for ordinal in contentByOrdinal.indices where contentByOrdinal[ordinal] != nil && !committed.contains(ordinal) {
            forget(ordinal)
        }
        free.sort(by: >)
        current = OrdinalSet()
    }

    private mutating func forget(_ ordinal: Int) {
        if let content = contentByOrdinal[ordinal] { ordinalByContent[content] = nil }
        contentByOrdinal[ordinal] = nil
        free.append(ordinal)
    }

    mutating func add(_ content: [UInt8]) throws(WriteError) -> Int {
        if let ordinal = ordinalByContent[content] {
            current.insert(ordinal)
            return ordinal
        }
        let ordinal: Int
        if let reused = free.popLast() {
            ordinal = reused
            contentByOrdinal[ordinal] = content
        } else {
            ordinal = contentByOrdinal.count
            guard ordinal < TypeData.maximumOrdinalCount else { throw .tooManyRecords(type: schema.name) }
            contentByOrdinal.append(content)
        }
        ordinalByContent[content] = ordinal
        current.insert(ordinal)
        return ordinal
    }

    var added: [Int] { current.subtracting(committed) }
    var removed: [Int] { committed.subtracting(current) }
    var hasChanges: Bool { current != committed }

    mutating func commit() {
        committed = current
        committedOrdinalCount = ordinalCount
    }

    /// Drops the records first added in the cycle under way; the committed state is as it was.
    mutating func rollback() {
        // Every record not in the committed state goes: added in the dropped cycle (whether still in
        // it or removed again), or removed by the last commit (no longer needed for a reverse delta).
        for ordinal in contentByOrdinal.indices where contentByOrdinal[ordinal] != nil && !committed.contains(ordinal) {
            forget(ordinal)
        }
        // Ordinals first handed out in the dropped cycle are handed back, so that the next delta
        // does not declare them as empty room.
        if contentByOrdinal.count > committedOrdinalCount {
            contentByOrdinal.removeLast(contentByOrdinal.count - committedOrdinalCount)
            free.removeAll { $0 >= committedOrdinalCount }
        }
        free.sort(by: >)
        current = committed
    }

    /// Marks every committed record as present in the cycle under way (for incremental cycles).
    mutating func keepCommitted() { current = committed }

    /// Removes a record from the cycle under way.
    mutating func remove(_ ordinal: Int) { current.remove(ordinal) }

    func content(_ ordinal: Int) -> [UInt8]? { ordinal < contentByOrdinal.count ? contentByOrdinal[ordinal] : nil }

    func isCurrent(_ ordinal: Int) -> Bool { current.contains(ordinal) }

    /// Storage of the records in `set`, ordinals as they are (holes included), in `ordinalCount` slots.
    func data(of set: OrdinalSet, ordinalCount: Int) -> TypeData {
        precondition(set.upperBound <= ordinalCount)
        var builder = TypeDataBuilder(plan: plan)
        for ordinal in 0..<ordinalCount { builder.append(set.contains(ordinal) ? contentByOrdinal[ordinal] : nil) }
        return builder.build()
    }

    /// The records `ordinals`, packed one after another (the payload of a delta).
    func packed(_ ordinals: [Int]) -> TypeData {
        var builder = TypeDataBuilder(plan: plan)
        for ordinal in ordinals { builder.append(contentByOrdinal[ordinal]) }
        return builder.build()
    }
}
