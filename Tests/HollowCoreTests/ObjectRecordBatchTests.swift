import PropertyBased
import Testing
import TestThreads

@testable import HollowCore

/// Records set field by field in a batch (what the CSV and TSV readers build) are the records an
/// `ObjectRecord` of the same values is: the same encoding, the same key bytes, the same ordinals
/// once added, and the same refusals.
@Suite(.onTestThreads) struct ObjectRecordBatchTests {
    static let types = ["int", "long", "float", "double", "bool", "string", "bytes", "U"]

    /// A schema of one type of `fieldCount` fields of random types and nullability.
    static func schema(fieldCount: Int, using rng: inout Xoshiro) throws -> ObjectSchema {
        let fields = (0..<fieldCount).map { index in
            "f\(index): \(types.randomElement(using: &rng)!)\(Bool.random(using: &rng) ? "?" : "")"
        }
        return try Schema(parsing: "type T { \(fields.joined(separator: "  ")) }\ntype U { x: int }").object("T")!
    }

    static func value(_ type: FieldType, nullable: Bool, using rng: inout Xoshiro) -> FieldValue? {
        if nullable && Int.random(in: 0..<4, using: &rng) == 0 { return nil }
        switch type {
        case .int: return .int(Int32.random(in: .min ... .max, using: &rng) >> Int32.random(in: 0...31, using: &rng))
        case .long: return .long(Int64.random(in: .min ... .max, using: &rng) >> Int64.random(in: 0...63, using: &rng))
        case .float: return .float(Float(bitPattern: UInt32.random(in: 0 ... .max, using: &rng)))
        case .double: return .double(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng)))
        case .bool: return .bool(Bool.random(using: &rng))
        case .string:
            let scalars = (0..<Int.random(in: 0...20, using: &rng)).map { _ in
                ["a", "Z", " ", "é", "字", "🙂", "\0"].randomElement(using: &rng)!
            }
            return .string(scalars.joined())
        case .bytes: return .bytes((0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .reference: return .reference(Int.random(in: 0...100_000, using: &rng))
        }
    }

    @Test func aBatchEncodesAsObjectRecordsDo() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...8), Gen.int(in: 1...30), Gen.uint64()) { fieldCount, recordCount, seed in
            var rng = Xoshiro(seed: seed)
            let schema = try! Self.schema(fieldCount: fieldCount, using: &rng)
            var batch = ObjectRecordBatch(schema)
            var records: [ObjectRecord] = []
            for _ in 0..<recordCount {
                var record = ObjectRecord(schema)
                // Fields set in a random order, some twice (the last value counts).
                for field in schema.fields.indices.shuffled(using: &rng) + [Int.random(in: 0..<fieldCount, using: &rng)] {
                    let value = Self.value(schema.fields[field].type, nullable: schema.fields[field].isNullable, using: &rng)
                    try! record.set(fieldAt: field, value)
                    try! batch.set(field, value)
                }
                records.append(record)
                try! batch.endRecord()
            }
            #expect(batch.count == records.count)
            let keyFields = schema.fields.indices.filter { _ in Bool.random(using: &rng) }
            for (index, record) in records.enumerated() {
                #expect(try! batch.withContent(index) { Array($0) } == (try! record.encoded()), "record \(index)")
                var fromBatch: [UInt8] = [], fromRecord: [UInt8] = []
                batch.appendKeyBytes(ofRecord: index, fields: keyFields, to: &fromBatch)
                try! record.appendKeyBytes(fields: keyFields, to: &fromRecord)
                #expect(fromBatch == fromRecord)
                let back = batch.record(at: index)
                #expect(zip(back.values, record.values).allSatisfy { a, b in
                    // Floats compare by their bits: a NaN read back is the NaN written.
                    switch (a, b) {
                    case (.float(let x)?, .float(let y)?): x.bitPattern == y.bitPattern
                    case (.double(let x)?, .double(let y)?): x.bitPattern == y.bitPattern
                    default: a == b
                    }
                })
            }
        }
    }

    /// Key bytes tell keys apart exactly when their values differ, with null and empty apart too.
    @Test func keyBytesAreEqualExactlyForEqualKeys() throws {
        let schema = try Schema(parsing: "type T { a: string?  b: int? }").object("T")!
        let keys: [(FieldValue?, FieldValue?)] = [(nil, nil), (.string(""), nil), (nil, .int(0)), (.string(""), .int(0)),
                                                  (.string("a"), .int(1)), (.string("a"), .int(-1)), (.string("a\0"), .int(1))]
        var batch = ObjectRecordBatch(schema)
        for (a, b) in keys + keys {
            try batch.set(0, a)
            try batch.set(1, b)
            try batch.endRecord()
        }
        let bytes = (0..<batch.count).map { index in
            var key: [UInt8] = []
            batch.appendKeyBytes(ofRecord: index, fields: [0, 1], to: &key)
            return key
        }
        for i in bytes.indices {
            for j in bytes.indices { #expect((bytes[i] == bytes[j]) == (i % keys.count == j % keys.count), "\(i) \(j)") }
        }
    }

    @Test func refusalsNameTheFieldAndDropTheRecord() throws {
        let full = try Schema(parsing: "type T { s: string  n: int?  r: U? }\ntype U { x: int }")
        let schema = full.object("T")!
        var batch = ObjectRecordBatch(schema)
        #expect(throws: WriteError.typeMismatch(type: "T", field: "s", expected: .string, found: "int")) { try batch.set(0, int: 1) }
        #expect(throws: WriteError.typeMismatch(type: "T", field: "s", expected: .string, found: "bytes that are not UTF-8")) {
            try [UInt8]([0x61, 0xFF]).withUnsafeBytesTyped { (bytes) throws(WriteError) in try batch.set(0, utf8: bytes) }
        }
        #expect(throws: WriteError.invalidReference(type: "T", field: "r", ordinal: -1, target: "U")) { try batch.set(2, reference: -1) }
        try batch.set(1, int: 5)
        #expect(batch.firstMissingField == 0)
        #expect(throws: WriteError.missingValue(type: "T", field: "s")) { try batch.endRecord() }
        #expect(batch.isEmpty && !batch.hasValue(1), "the refused record is dropped, and the next starts empty")

        // A reference to a record not added in this cycle is refused when the batch is added,
        // after the records before it.
        let writer = WriteState(schema: full)
        try writer.beginCycle()
        try [UInt8]("a".utf8).withUnsafeBytesTyped { (bytes) throws(WriteError) in try batch.set(0, utf8: bytes) }
        try batch.endRecord()
        try [UInt8]("b".utf8).withUnsafeBytesTyped { (bytes) throws(WriteError) in try batch.set(0, utf8: bytes) }
        try batch.set(2, reference: 7)
        try batch.endRecord()
        var ordinals: [Int] = []
        #expect(throws: WriteError.invalidReference(type: "T", field: "r", ordinal: 7, target: "U")) { try writer.add(batch, ordinals: &ordinals) }
        #expect(ordinals == [0])
        var again: [Int] = []
        batch.removeAll()
        try [UInt8]("a".utf8).withUnsafeBytesTyped { (bytes) throws(WriteError) in try batch.set(0, utf8: bytes) }
        try batch.endRecord()
        try writer.add(batch, ordinals: &again)
        #expect(again == [0], "the same record is the same ordinal")
    }
}
