import Testing
import TestThreads
@testable import HollowCore

/// Defects found in review, each replayed by the call sequence that showed it.
@Suite(.onTestThreads) struct WriteAndIndexRegressionTests {
    static func elements(_ schema: Schema, _ writer: WriteState, count: Int) throws -> [Int] {
        try (0..<count).map { value in
            var record = ObjectRecord(schema.object("E")!)
            try record.set("v", .long(Int64(value)))
            return try writer.add(record)
        }
    }

    /// An element ordinal equal to a set's (or map's) empty-bucket marker is in no record.
    @Test func ordinalsEqualToTheEmptyMarkerAreNeverFound() throws {
        let schema = try Schema(parsing: "type E { v: long }\nset S of E\nmap M of E to E")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        let e = try Self.elements(schema, writer, count: 8)
        let pair = try writer.add(set: [e[0], e[1]], to: "S")   // 2-bit buckets, marker 3
        let single = try writer.add(set: [e[0]], to: "S")
        let map = try writer.add(map: [(key: e[0], value: e[5])], to: "M")   // 1-bit keys, marker 1
        let state = try ReadState(snapshot: #require(try writer.writeBlobs()).snapshot)
        let sets = state.hashedType("S")!
        for query in 0..<8 {
            #expect(sets.contains(pair, query) == (query <= 1), "pair contains \(query)")
            #expect(sets.contains(single, query) == (query == 0), "single contains \(query)")
        }
        #expect(state.hashedType("M")!.value(map, forKey: 1) == nil)
        #expect(state.hashedType("M")!.value(map, forKey: 0) == e[5])
    }

    static func a(_ schema: Schema, _ value: Int64) throws -> ObjectRecord {
        var record = ObjectRecord(schema.object("A")!)
        try record.set("v", .long(value))
        return record
    }

    /// A record added and removed again in a cycle that is then dropped leaves nothing behind.
    @Test func aDroppedCycleForgetsRecordsItAddedAndRemoved() throws {
        let schema = try Schema(parsing: "type A { v: long }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        try writer.add(try Self.a(schema, 1))
        _ = try writer.writeBlobs()
        writer.commit()
        try writer.beginCycle()
        writer.keepCommittedRecords()
        let dropped = try writer.add(try Self.a(schema, 2))
        try writer.remove(ordinal: dropped, from: "A")
        #expect(try writer.writeBlobs() == nil)
        try writer.beginCycle()
        writer.keepCommittedRecords()
        let three = try writer.add(try Self.a(schema, 3))
        let two = try writer.add(try Self.a(schema, 2))
        #expect(two != three)
        let state = try ReadState(snapshot: #require(try writer.writeBlobs()).snapshot)
        #expect(state.recordCount("A") == 3)
    }

    /// The same records after a cycle that dropped the highest ordinals: nothing changed.
    @Test func anUnchangedCycleAfterShrinkingWritesNothing() throws {
        let schema = try Schema(parsing: "type A { v: long }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        for value in 0..<70 { try writer.add(try Self.a(schema, Int64(value))) }
        _ = try writer.writeBlobs()
        writer.commit()
        try writer.beginCycle()
        writer.keepCommittedRecords()
        for ordinal in 64..<70 { try writer.remove(ordinal: ordinal, from: "A") }
        _ = try writer.writeBlobs()
        writer.commit()
        try writer.beginCycle()
        for value in 0..<64 { try writer.add(try Self.a(schema, Int64(value))) }
        #expect(try writer.writeBlobs() == nil)
    }

    /// Kept records that refer to a type the new schema replaced would point at wrong records.
    @Test func keptRecordsReferringToAReplacedTypeAreRefused() throws {
        let v1 = try Schema(parsing: "type C { code: string }\ntype P { name: string  c: C }")
        let v2 = try Schema(parsing: "type C { code: string  extra: int? }\ntype P { name: string  c: C }")
        let writer = WriteState(schema: v1)
        try writer.beginCycle()
        var country = ObjectRecord(v1.object("C")!)
        try country.set("code", .string("NO"))
        try writer.add(country)
        try country.set("code", .string("SE"))
        let sweden = try writer.add(country)
        var person = ObjectRecord(v1.object("P")!)
        try person.set("name", .string("Ann"))
        try person.set("c", .reference(sweden))
        try writer.add(person)
        _ = try writer.writeBlobs()
        writer.commit()
        try writer.beginCycle(schema: v2)
        writer.keepCommittedRecords()
        var denmark = ObjectRecord(v2.object("C")!)
        try denmark.set("code", .string("DK"))
        try writer.add(denmark)
        #expect(throws: WriteError.invalidReference(type: "P", field: "c", ordinal: sweden, target: "C")) { try writer.writeBlobs() }
    }

    /// An index whose key path crosses a type that a delta replaced whole is rebuilt, not patched.
    @Test func indexThroughATypeReplacedByADelta() throws {
        let v1 = try Schema(parsing: "type C { code: string }\ntype P { name: string  c: C }")
        let v2 = try Schema(parsing: "type C { code: string  extra: int? }\ntype P { name: string  c: C }")
        let writer = WriteState(schema: v1)
        func cycle(_ schema: Schema, _ countries: [String], _ people: [(String, String)]) throws -> CycleBlobs {
            try writer.beginCycle(schema: schema)
            var ordinals: [String: Int] = [:]
            for code in countries {
                var record = ObjectRecord(schema.object("C")!)
                try record.set("code", .string(code))
                ordinals[code] = try writer.add(record)
            }
            for (name, code) in people {
                var record = ObjectRecord(schema.object("P")!)
                try record.set("name", .string(name))
                try record.set("c", .reference(ordinals[code]!))
                try writer.add(record)
            }
            let blobs = try #require(try writer.writeBlobs())
            writer.commit()
            return blobs
        }
        let first = try cycle(v1, ["NO", "SE"], [("Ann", "NO"), ("Bob", "SE")])
        // Countries in the other order: people keep their bytes, their keys change.
        let second = try cycle(v2, ["SE", "NO"], [("Ann", "SE"), ("Bob", "NO")])
        let before = try ReadState(snapshot: first.snapshot)
        let after = try before.applying(delta: #require(second.delta))
        let updated = try HashIndex(before, type: "P", fields: ["c.code"]).updated(to: after)
        let rebuilt = try HashIndex(after, type: "P", fields: ["c.code"])
        #expect(Array(updated.ordinals("SE")) == Array(rebuilt.ordinals("SE")))
        #expect(Array(updated.ordinals("NO")) == Array(rebuilt.ordinals("NO")))
    }

    /// A primary-key index on fields that are not unique follows deltas as a fresh build does.
    @Test func primaryKeyIndexOnDuplicateKeysFollowsDeltas() throws {
        let schema = try Schema(parsing: "type A { id: long  v: long }")
        let writer = WriteState(schema: schema)
        func record(_ id: Int64) throws -> ObjectRecord {
            var record = ObjectRecord(schema.object("A")!)
            try record.set("id", .long(id))
            try record.set("v", .long(7))
            return record
        }
        try writer.beginCycle()
        let first = try writer.add(try record(1))
        try writer.add(try record(2))
        let before = try ReadState(snapshot: #require(try writer.writeBlobs()).snapshot)
        writer.commit()
        try writer.beginCycle()
        writer.keepCommittedRecords()
        try writer.remove(ordinal: first, from: "A")
        let after = try before.applying(delta: #require(try writer.writeBlobs()?.delta))
        let updated = try PrimaryKeyIndex(before, type: "A", fields: ["v"]).updated(to: after)
        #expect(updated.ordinal(Int64(7)) == (try PrimaryKeyIndex(after, type: "A", fields: ["v"]).ordinal(Int64(7))))
        #expect(updated.ordinal(Int64(7)) != nil)
    }
}
