import HollowCore

// The loops the benchmarks time, written as a user of HollowCore (or of a Dictionary) writes them,
// and kept out of line so that each is compiled once, as it would be in the user's code. Each
// returns a sum of what it read, for the caller to keep alive.

// MARK: Primary-key lookup, then the bytes of the record's version

/// The record's handles for a lookup of the version in either mapping.
public struct VersionLookup: Sendable {
    public let index: PrimaryKeyIndex
    public let records: ObjectTypeReadState
    /// `version`: a string field (plain) or a reference to `Version` (shared).
    public let version: FieldHandle
    /// `Version` and its `value` field in the shared mapping.
    public let values: ObjectTypeReadState?
    public let value: FieldHandle?

    public init(_ state: ReadState, index: PrimaryKeyIndex, type: String) throws {
        let column = try StringColumn(state, type: type, field: "version")
        self.index = index
        records = column.records
        version = column.field
        values = column.shared?.values
        value = column.shared?.value
    }
}

/// Looks up `count` keys from `keys[start...]` (wrapping around) and reads the first byte and the
/// length of each record's version; returns the sum and the position after the last key.
@inline(never)
public func lookupVersionPlain(_ lookup: VersionLookup, _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
    let index = lookup.index, records = lookup.records, version = lookup.version
    var position = start, sum = 0
    for _ in 0..<count {
        let ordinal = index.ordinal(keys[position]).unsafelyUnwrapped
        sum &+= records.withBytes(ordinal, version) { $0.count &+ Int($0.first ?? 0) }.unsafelyUnwrapped
        position &+= 1
        if position == keys.count { position = 0 }
    }
    return (sum, position)
}

/// The same through the reference to `Version` (one more record to read).
@inline(never)
public func lookupVersionShared(_ lookup: VersionLookup, _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
    let index = lookup.index, records = lookup.records, version = lookup.version
    let values = lookup.values.unsafelyUnwrapped, value = lookup.value.unsafelyUnwrapped
    var position = start, sum = 0
    for _ in 0..<count {
        let ordinal = index.ordinal(keys[position]).unsafelyUnwrapped
        let target = records.reference(ordinal, version).unsafelyUnwrapped
        sum &+= values.withBytes(target, value) { $0.count &+ Int($0.first ?? 0) }.unsafelyUnwrapped
        position &+= 1
        if position == keys.count { position = 0 }
    }
    return (sum, position)
}

@inline(never)
public func lookupVersion(_ dictionary: [String: DebianPackage], _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
    var position = start, sum = 0
    for _ in 0..<count {
        let row = dictionary[keys[position]].unsafelyUnwrapped
        sum &+= row.version.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0.first ?? 0) }.unsafelyUnwrapped
        position &+= 1
        if position == keys.count { position = 0 }
    }
    return (sum, position)
}

@inline(never)
public func lookupVersion(_ dictionary: [String: PyPIProject], _ keys: [String], from start: Int, count: Int) -> (sum: Int, next: Int) {
    var position = start, sum = 0
    for _ in 0..<count {
        let row = dictionary[keys[position]].unsafelyUnwrapped
        sum &+= row.version.utf8.withContiguousStorageIfAvailable { $0.count &+ Int($0.first ?? 0) }.unsafelyUnwrapped
        position &+= 1
        if position == keys.count { position = 0 }
    }
    return (sum, position)
}

// MARK: A scan of two fields of every record: a number and the version's length

/// The handles of a scan: the number field (`size`, a long, for Debian; `rank`, an int?, for PyPI)
/// and the version in either mapping.
public struct ScanFields {
    public let records: ObjectTypeReadState
    public let number: FieldHandle
    public let version: FieldHandle
    public let values: ObjectTypeReadState?
    public let value: FieldHandle?

    public init(_ state: ReadState, type: String, number: String) throws {
        let column = try StringColumn(state, type: type, field: "version")
        guard let field = column.records.field(number) else { throw RealDataError(file: type, "no field \(number)") }
        records = column.records
        self.number = field
        version = column.field
        values = column.shared?.values
        value = column.shared?.value
    }
}

/// Debian, plain: `size` and the length of `version` of every package.
@inline(never)
public func scanLongPlain(_ scan: ScanFields) -> Int {
    let records = scan.records, number = scan.number, version = scan.version
    var sum = 0
    for ordinal in records.ordinals {
        sum &+= Int(records.long(ordinal, number) ?? 0)
        sum &+= records.withBytes(ordinal, version) { $0.count } ?? 0
    }
    return sum
}

/// Debian, shared: the version's length through its reference.
@inline(never)
public func scanLongShared(_ scan: ScanFields) -> Int {
    let records = scan.records, number = scan.number, version = scan.version
    let values = scan.values.unsafelyUnwrapped, value = scan.value.unsafelyUnwrapped
    var sum = 0
    for ordinal in records.ordinals {
        sum &+= Int(records.long(ordinal, number) ?? 0)
        if let target = records.reference(ordinal, version) { sum &+= values.withBytes(target, value) { $0.count } ?? 0 }
    }
    return sum
}

/// PyPI, plain: `rank` (null for most) and the length of `version`.
@inline(never)
public func scanIntPlain(_ scan: ScanFields) -> Int {
    let records = scan.records, number = scan.number, version = scan.version
    var sum = 0
    for ordinal in records.ordinals {
        sum &+= Int(records.int(ordinal, number) ?? 0)
        sum &+= records.withBytes(ordinal, version) { $0.count } ?? 0
    }
    return sum
}

@inline(never)
public func scanIntShared(_ scan: ScanFields) -> Int {
    let records = scan.records, number = scan.number, version = scan.version
    let values = scan.values.unsafelyUnwrapped, value = scan.value.unsafelyUnwrapped
    var sum = 0
    for ordinal in records.ordinals {
        sum &+= Int(records.int(ordinal, number) ?? 0)
        if let target = records.reference(ordinal, version) { sum &+= values.withBytes(target, value) { $0.count } ?? 0 }
    }
    return sum
}

@inline(never)
public func scanTwoFields(_ dictionary: [String: DebianPackage]) -> Int {
    var sum = 0
    for row in dictionary.values { sum &+= row.size &+ row.version.utf8.count }
    return sum
}

@inline(never)
public func scanTwoFields(_ dictionary: [String: PyPIProject]) -> Int {
    var sum = 0
    for row in dictionary.values { sum &+= (row.rank ?? 0) &+ row.version.utf8.count }
    return sum
}
