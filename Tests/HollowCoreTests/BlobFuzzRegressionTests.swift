import Foundation
import Testing
import TestThreads
@testable import HollowCore

/// Inputs found by the blob fuzzer (Sources/HollowFuzz, docs/FUZZING.md) and minimized by
/// libFuzzer, or crafted while triaging them. Each once crashed, hung, read out of bounds or
/// loaded a state that broke a reader's assumptions; each is replayed here in the fuzzer's input
/// format and must now be refused with a `BlobError`, for the reason named.
@Suite(.onTestThreads) struct BlobFuzzRegressionTests {
    /// A raw chain: a snapshot, then a delta whose `Name` section declares an ordinal count near
    /// 2^31 while adding nothing there. Applying it zero-filled gigabytes (a libFuzzer timeout);
    /// now the empty ordinals past the old count are paid from a budget the blob's size sets
    /// (`TypeData.applying(_:plan:type:growthBudget:)`).
    @Test func deltaClaimingBillionsOfEmptyOrdinals() {
        let outcome = FuzzInputReplay(base64: """
            A0sBAABIT0xXAQABAAAAAAAAAAAACnIW8omml4NiAAAAdHlwZSBOYW1lIHsKICAgIHRleHQ6IHN0cmluZwp9CnR5cGUgRW50
            cnkga2V5KGlkKSB7CiAgICBpZDogbG9uZwogICAgbmFtZTogTmFtZQogICAgc2NvcmU6IGludD8KfQoCAAAABABOYW1lAQwA
            AAAAAAAAAQcBCEoAAAAAAAAA/w8AAAAAAAAGhgTjIalgNt5QCQAAAAAAbmFtZSAw/////yAxbmFtZSAybmFtZSAzbmFtZSA0
            bmFtZSA1bmFtZSA2bmFtZSA3bmFtZSA4bmFtZSA5bmFtZSAxMG5hbWUgMTEAAAAAAAAFAEVudHJ5AQwAAAAAAAAABAUEAQ8A
            /w8AAAAAAAAAAABEgD4QAfowA+6CCNBHFYgTM+Aud2BtEAH6ZIIyUgXitAu+CgAAAwEAAEhPTFcBAAIACnIW8omml4PatpdE
            AWPla2IAAAB0eXBlIE5hbWUgewogICAgdGV4dDogc3RyaW5nCn0KdHlwZSBFbnRyeSBrZXkoaWQpIHsKICAgIGlkOiBsb25n
            CiAgICBuYW1lOiBOYW1lCiAgICBzY29yZTogaW50Pwp9CgIAAAAEAE5hbWUCCgAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAwAA
            AAcAAAAKAAAACwAAAAAAAAAAAAAAAQABCAAAAAAAAAAABQBFbnRyeQIKAHQ0AAAAAAQAAAAAAAAAAAAAAAAAAAADAAAABwAA
            AAoAAAALAAAAAAAAAAAAAAAEAAABAAA=
            """).run()
        #expect(outcome.states == 1)
        #expect(outcome.error?.isCorrupt(mentioning: "empty ordinals") == true, "\(String(describing: outcome.error))")
    }

    /// A raw chain whose delta's `Name` section adds no ordinal but packs 543,518,841 added
    /// records. Reading them allocated and filled their populated bits before the count was
    /// compared with the added ordinals (a libFuzzer timeout); now `TypeSection.read` compares
    /// first (`BlobReader.readChanges`).
    @Test func deltaPackingMoreRecordsThanItAdds() {
        let outcome = FuzzInputReplay(base64: """
            A0sBAABIT0xXAQABAAAAAAAAAAAACnIW8omml4NiAAAAdHlwZSBOYW1lIHsKICAgIHRleHQ6IHN0cmluZwp9CnR5cGUgRW50
            cnkga2V5KGlkKSB7CiAgICBpZDogbG9uZwogICAgbmFtZTogTmFtZQogICAgc2NvcmU6IGludD8KfQoCAAAABABOYW1lAQwA
            AAAAAAAAAQcBCEoAAAAAAAAA/w8AAAAAAAAGhgTjIalgNt5QCQAAAAAAbmFtZSAwbmFtZSAxbmFtZSAybmFtZSAzbmFtBgA0
            bmFtZSA1bmFtZSA2bmFtZSA3bmFtZSA2bmFtZSA5bmFtZSAxMG5hbWUgMTEAAAAAAAAFAEVudHJ5AQwAAAAAAAAABAUEAQ8A
            /w8AAAAAAAAAAABEgD4QAfoxA+6CCNBHFYgTM+Aud2BtEAH6ZABFAAXitAu+CgAAAwEAAEhPTFcBAAIACnIW8omml4PatpdE
            AWPla2IAAAB0eXBlIE5hbWUgewogICAgdGV4dDogc3RyaW5nCn0KdHlwZSBFbnRyeSBrZXkoaWQpIHsKICAgIGlkOiBsb25n
            CiAgICBuYW1lOiBOYW1lCiAgICBzY29yZTogaW50Pwp9CgIAAAAEAE5hbWUCCgAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAwAA
            AAcAAAAKaW5nCn0KdHlwZSAAAAAAAQABCAAAAAAAAAAA
            """).run()
        #expect(outcome.states == 1)
        #expect(outcome.error?.isCorrupt(mentioning: "added records for 0 added ordinals") == true, "\(String(describing: outcome.error))")
    }

    /// A raw snapshot whose map type `Roles` has 2 key buckets but 0 values: the pools of a map
    /// share one end column, so they must hold as many elements each. Listing the entries read
    /// values past the end of their storage (an out-of-range read; deltas would also copy from
    /// it and count pool sizes below zero). `TypeSection.read` now compares the two counts.
    @Test func mapWithFewerValuesThanKeys() {
        let outcome = FuzzInputReplay(base64: """
            A88DAABIT0xXAQABAAAAAAAAAAAAK0ig8Zj/i7tsAQAAdHlwZSBQZXJzb24ga2V5KG5hbWUpIHsKICAgIG5hbWU6IHN0cmlu
            ZwogICAgYm9ybjogaW50Pwp9CnR5cGUgR2VucmUga2V5KG5hbWUpIHsKICAgIG5hbWU6IHN0cmluZwp9CnNldCBHZW5yZXMg
            b2YgR2VucmUKbGlzdCBDYXN0IG9mIFBlcnNvbgptYXAgUm9sZXMgb2YgUGVyc29uIHRvIEdlbnJlCnR5cGUgTW92aWUga2V5
            KGlkKSB7CiAgICBpZDogbG9uZwogICAgdGl0bGU6IHN0cmluZwogICAgeWVhcjogaW50CiAgICByYXRpbmc6IGRvdWJsZT8K
            ICAgIHNlZW46IGJvb2wKICAgIHBvc3RlcjogYnl0ZXM/CiAgICBkaXJlY3RvcjogUGVyc29uPwogICAgZ2VucmVzOiBHZW5y
            ZXMKICAgIGNhc3Q6IENhc3QKICAgIHJvbGVzOiBSb2xlcwp9CgYAAAAGAFBlcnNvbgEMAAAAAAAAAAMEAQwBCA4AAAAAAAAA
            ewgAAAAAAABC3Qm+EwAwFI8BQIk8BwAGAAwAGAAwAHA+DwAAAAAAAFAxUDJQNFA2UDVQMFA3AAAFAEdlbnJlAQMAAAAAAAAA
            AQQBCA8AAAAAAAAABwAAAAAAAAC1D/n///8AAERyYW1hQ29tZWR5Tm9pcgAGAEdlbnJlcwEDAAAAAAAAAAIDAgECBgAAAAAA
            AAAHAAAAAAAAAMoaAAAAAAAATA8AAAAAAAAEAENhc3QBBQAAAAAAAAABAwEDBAAAAAAAAAAZAAAAAAAAANtGAAAAAAAARgwA
            AAAAAAAFAFJvbGVzAQQAAAAAAAAAAgIBAgMCAAAAAAAAAAIAAAAAAAAAAAwAAAAAAAAAAAwAAAAAAAA3AAAAAAAAAAUATW92
            aWUBCAAAAAAAAAANBQcMAT8BAQQBAwIDAgIIUAAAAAAAAAAIDwAAAAAAAAD/AAAAAAAAAELh8wEAAAAAAAAADMANRegBAAAA
            AACg/xwTIg/RAwAAAAAAgP9lylQoow8AAAAAAAAAICPuZEoPAAAAAACA/wczGPKYHgAAAAAAAACwh6Y0On0AAAAAAAAAgC9S
            AOV5AAAAAAAAAIA/nAAAAAAAAABNb3ZpZSAxIHYwTW92aWUgMyB2ME1vdmllIDQgdjBNb3YjFKAHAAAAAAAA/stgJfIQPQAA
            AAAAACA1IHYwTW92aWUgNiB2ME1vdmllIHYwAAAB/wACAAX/AAf/AAAAAAA=
            """).run()
        #expect(outcome.states == 0)
        #expect(outcome.error?.isCorrupt(mentioning: "pool 1 holds 0 elements, pool 0 beside it 2") == true, "\(String(describing: outcome.error))")
    }

    /// A raw snapshot (crafted while triaging, from the `paths` seed) where `City` 1 holds no
    /// record but `Person` 1 still lives there, and the empty ordinal keeps its old name run and a
    /// `country` of 3, past the 3 countries. Loading checked the references of records only and
    /// accepted it; building the primary-key index on `home.country.code` then followed the
    /// reference out of the empty ordinal and trapped. `TypeData.validate` now refuses an empty
    /// ordinal that does not hold zeros (as docs/FORMAT.md requires), and
    /// `KeyFields.Component.leafOrdinal` treats a hop into an empty ordinal as a null on the way
    /// (see `keyPathThroughAnEmptyOrdinalIntoAnEmptyType`).
    @Test func emptyOrdinalHoldingAReference() {
        let outcome = FuzzInputReplay(base64: """
            AkhPTFcBAAEAAAAAAAAAAACxAJuAH03FetMAAAB0eXBlIENvdW50cnkga2V5KGNvZGUpIHsKICAgIGNvZGU6IHN0cmluZwp9
            CnR5cGUgQ2l0eSBrZXkobmFtZSwgY291bnRyeS5jb2RlKSB7CiAgICBuYW1lOiBzdHJpbmcKICAgIGNvdW50cnk6IENvdW50
            cnkKfQp0eXBlIFBlcnNvbiBrZXkobmFtZSwgaG9tZS5jb3VudHJ5LmNvZGUpIHsKICAgIG5hbWU6IHN0cmluZwogICAgaG9t
            ZTogQ2l0eT8KICAgIGFnZTogaW50Cn0KAwAAAAcAQ291bnRyeQEDAAAAAAAAAAEDAQgGAAAAAAAAAAcAAAAAAAAAogEAAAAA
            AABOT1NFRkkAAAQAQ2l0eQEEAAAAAAAAAAIFAgEIEwAAAAAAAAANAAAAAAAAAAS1awoAAAAAT3Nsb0JlcmdlblVtZWFUdXJr
            dQAAAAAABgBQZXJzb24BBQAAAAAAAAAEBgECBQEIJQAAAAAAAAAfAAAAAAAAAAggJIgRgoZlFAAAAAAAAABwZXJzb24gMHBl
            cnNvbiAxcGVyc29uIDJwZXJzb24gM25vbWFkAAAA
            """).run()
        #expect(outcome.states == 0)
        #expect(outcome.error?.isCorrupt(mentioning: "City: ordinal 1 holds no record, but its column 0 holds 10") == true,
                "\(String(describing: outcome.error))")
    }

    /// The hop that remains once empty ordinals hold zeros, built with the writer's own pieces: a
    /// `Person` lives in `City` 0, which holds no record, and there is no `Country` at all. The
    /// empty city's `country` reads 0, and following it (as the key path `home.country.code`
    /// does) asks for a country that does not exist: building the index trapped. A key path that
    /// reaches an ordinal without a record now reads as null.
    @Test func keyPathThroughAnEmptyOrdinalIntoAnEmptyType() throws {
        let schema = try Schema(parsing: """
            type Country key(code) { code: string }
            type City key(name, country.code) {
                name: string
                country: Country
            }
            type Person key(name, home.country.code) {
                name: string
                home: City?
                age: int
            }
            """)
        func storage(_ type: String, _ records: [[UInt8]?]) -> TypeData {
            var builder = TypeDataBuilder(plan: TypePlan(schema[type]!))
            for record in records { builder.append(record) }
            return builder.build()
        }
        var person = ObjectRecord(schema.object("Person")!)
        try person.set("name", .string("p"))
        try person.set("home", .reference(0))
        try person.set("age", .int(30))
        let blob = BlobWriter.write(BlobHeader(kind: .snapshot, origin: 0, destination: 1, schema: schema), sections: [
            ("Country", .full(storage("Country", []))),
            ("City", .full(storage("City", [nil]))),
            ("Person", .full(storage("Person", [try person.encoded()]))),
        ])
        let state = try ReadState(snapshot: blob)
        let people = try PrimaryKeyIndex(state, type: "Person")
        #expect(people.ordinal("p", String?.none) == nil)
        #expect(people.ordinal("p", "NO") == nil)
        let byHome = try HashIndex(state, type: "Person", fields: ["home.country.code"])
        let homeless = Array(byHome.ordinals(String?.none))
        #expect(homeless.isEmpty)
    }

    /// A raw chain (crafted from the `schemas` seed once the harness checked that every loaded
    /// reference can be followed): the delta carries `Item` whole, now with 2 ordinals instead of
    /// 5, and leaves the list type `Items` untouched, whose elements still name items 2 to 4. Only
    /// types shrunk by changed sections had their referrers checked again, so the state loaded
    /// with references a reader could not follow (`items.element` then `Item` traps). Now a type
    /// carried whole that shrinks is checked the same way (`BlobReader.applyDelta`).
    @Test func typeCarriedWholeShrinksUnderAnUntouchedReferrer() {
        let outcome = FuzzInputReplay(base64: """
            AyIBAABIT0xXAQABAAAAAAAAAAAApOQCzehBXj9mAAAAdHlwZSBJdGVtIGtleShpZCkgewogICAgaWQ6IGludAogICAgbGFi
            ZWw6IHN0cmluZwp9CnR5cGUgTGVnYWN5IHsKICAgIGNvZGU6IGxvbmcKfQpsaXN0IEl0ZW1zIG9mIEl0ZW0KAwAAAAQASXRl
            bQEFAAAAAAAAAAIEBQEIHgAAAAAAAAAfAAAAAAAAAGCEkTSMHgAAaXRlbSAwaXRlbSAxaXRlbSAyaXRlbSAzaXRlbSA0AAAG
            AExlZ2FjeQEBAAAAAAAAAAEAAAEAAAAAAAAABQBJdGVtcwEBAAAAAAAAAAEDAQMFAAAAAAAAAAEAAAAAAAAABQAAAAAAAACI
            RgAAAAAAADYBAABIT0xXAQACAKTkAs3oQV4/p4mkEjiGEuJ7AAAAdHlwZSBJdGVtIGtleShpZCkgewogICAgaWQ6IGludAog
            ICAgbGFiZWw6IHN0cmluZwogICAgd2VpZ2h0OiBkb3VibGU/Cn0KdHlwZSBGcmVzaCB7CiAgICBub3RlOiBzdHJpbmcKfQps
            aXN0IEl0ZW1zIG9mIEl0ZW0KAwAAAAQASXRlbQECAAAAAAAAAAQEBQE/AQgeAAAAAAAAAAMAAAAAAAAAYAAAAAAAAID/hAUA
            AAAAAAAAkAQAAAAAaXRlbSAwaXRlbSAxaXRlbSAyaXRlbSAzaXRlbSA0AAAFAEZyZXNoAQEAAAAAAAAAAQMBCAcAAAAAAAAA
            AQAAAAAAAAAHAAAAAAAAAGN5Y2xlIDEABgBMZWdhY3kD
            """).run()
        #expect(outcome.states == 1)
        #expect(outcome.error?.isCorrupt(mentioning: "refers to Item ordinal 2, beyond 2") == true, "\(String(describing: outcome.error))")
    }

    /// A raw snapshot (crafted from the `primitives` seed) whose bool column `b` is 2 bits wide,
    /// with `Row` 0 storing 1 and `Row` 3 storing 2: both read `true`, but an index compares
    /// stored bits, so a hash index on `b` filed them under two keys and `ordinals(true)` missed
    /// one (the harness's index check). `TypeSection.read` now refuses columns wider than their
    /// field type needs (`TypePlan.maximumWidths`: 1 bit for bools, 32 for ints and floats).
    @Test func boolColumnWiderThanABit() {
        let outcome = FuzzInputReplay(base64: """
            AkhPTFcBAAEAAAAAAAAAAAD4ODGayMXmqY8AAAB0eXBlIFJvdyBrZXkoaWQpIHsKICAgIGlkOiBsb25nCiAgICBpOiBpbnQK
            ICAgIGw6IGxvbmc/CiAgICBmOiBmbG9hdAogICAgZDogZG91YmxlPwogICAgYjogYm9vbAogICAgczogc3RyaW5nPwogICAg
            eDogYnl0ZXMKfQpsaXN0IFJvd3Mgb2YgUm93CgIAAAADAFJvdwEGAAAAAAAAAAsEIAFAIAE/AgEFBQIIHAAAAAAAAAAIHgAA
            AAAAAAA/AAAAAAAAAPD////P/////////x8AAPAfAAAAAAAA/j8ACAAAAIAAAAAAAAAAgFVVVR8AAAAAAAAAAAJBAAAAAAEA
            AAAAAAAAVlVVfgAAAAAAAAAAQIz9////8/////////8HAAD8BwAAAAAAgP+XYggAAADgAAAAAAAAAGBVVfUnAAAAAAAAAACS
            KgAAAIAEAAAAAAAAgKqq6h8AAAAAAAAAAHAPAADDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpAAAAAAABAAECAwABAgME
            BQABAgMEBQYHAAECAwQFBgcICQAABABSb3dzAQIAAAAAAAAAAQQBAwwAAAAAAAAAAwAAAAAAAADGAAAAAAAAAIjGllMAAAAA
            """).run()
        #expect(outcome.states == 0)
        #expect(outcome.error?.isCorrupt(mentioning: "column 7 is 2 bits wide, at most 1 allowed") == true, "\(String(describing: outcome.error))")
    }

    /// Found by the blob fuzzer (2026-12-06, under AddressSanitizer): a snapshot whose null flag
    /// column of `Entry.score` was 0 bits wide. Readers read a null flag as one bit, so they read
    /// the lowest bit of the next column as the flag; a delta that widened the column to 1 bit
    /// then copied the flag as 0, and a record the delta kept changed from null to a value, which
    /// an index carried along the delta (changing only removed and added records) missed. The
    /// writer always gives a null flag 1 bit; a reader now refuses any other width.
    @Test func nullFlagOfNoBits() {
        let outcome = FuzzInputReplay(base64: """
            A0sBAABIT0xXAgABAAAABgAAAAAA4v+JhGJvUjtiAAAAdHlwZSBOYW1lIHsKICAgIHRleHQ6IHN0cmluZwp9CnR5cGUgRW50cnkg
            a2V5KGlkKSB7CiAgICBpZDogbG9uZwogICAgbmFtZTogTmFtZQogICAgc2NvcmU6IGludD8KfQoCAAAABABOYW1lAQwAAAAAAAAA
            AQcBCEoAAAAAAAAA/w8AAAAAAAAGhgTjIalgMN5QCQAAAAAAbmFtZaAwbmFtZSAxbmFtZSAybmFtZSAzbmFtZSA0bmFtZSA1bmFt
            ZSA2bmFtZSA3bmFtZSA4bmFtZSA5bmFtZSAxMG5hbWUgMTEAAAAAAAAFAEVudHJ5AQwAAAAAAAAABAUEAA8A/w8AAAAAAAAAAABE
            gD4QAfowA+6CCNBHFYgTM+Aud2BtEAH6ZIIyUgXitAu+CgAAwwAAAEhPTFcCAAIA4v+JhGJvUjvo1HpXEZnXCWIAAAB0eXBlIE5h
            bWUgewogICAgdGV4dDogc3RyaW5nCn0KdHlwZSBFbnRyeSBrZXkoaWQpIHsKICAgIGlkOiBsb25nCiAgICBuYW1lOiBOYW1lCiAg
            ICBzY29yZTogaW50Pwp9CgIAAAAEAE5hbWUEDAQDAwIAAAAAAAAAAAAAAQABCAAAAAAAAAAAAAUARW50cnkEDAQDAwIAAAAAAAAA
            AAAABAAAAQAAANUAAABIT0xXAgACAOjUelcRmdcJwdlU4mfsDKdiAAAAdHlwZSBOYW1lIHsKICAgIHRleHQ6IHN0cmluZwp9CnR5
            cGUgRW50cnkga2V5KGlkKSB7CiAgICBpZDogbG9uZwogICAgbmFtZTogTmFtZQogICAgc2NvcmU6IGludD8KfQoCAAAABABOYW1l
            BAwAAQMBAAAAAAAAAAEDAQgGAAAAAAAAAAYAAAAAAAAAcmV1c2VkAAAABQBFbnRyeQQlAAEDAQAAAAAAAAAECAIBAADIBwAAAAAA
            YAAArwAAAE9XSAJMAAIAwdlU4mdlCiAgICBzY29yZTogaW50Pwp9CgEAAAAFAEVudHJ5BAwCAAABBwEAAAAAAAAABEAAAQEA////
            //////8CAAAAAAAAAAA=
            """).run()
        #expect(outcome.states == 0)
        #expect(outcome.error?.isCorrupt(mentioning: "a null flag, is 0 bits wide, not 1") == true, "\(String(describing: outcome.error))")
    }

    /// Found by review, beyond the fuzzer's input sizes: a snapshot whose schema declares one type
    /// of 50,000 fields keyed on all of them. Resolving each key path searched the fields one by
    /// one (and comparing a type carried by a delta with its old schema did the same), so loading
    /// did 10^9 string comparisons before refusing the blob; at the 16 MiB a schema may take, that
    /// is hours. `Schema` now keeps each object's fields by name (`Schema.resolve`,
    /// `SchemaChange.problem`), and an object type may have at most 255 columns, so the blob is
    /// refused at once.
    // The limit guards against hours, not seconds: a loaded CI machine once took 255 s.
    @Test(.timeLimit(.minutes(10))) func schemaOfManyKeyedFields() {
        let names = (0..<50_000).map { "f\($0)" }
        let schema = Array("type T key(\(names.joined(separator: ", "))) {\n\(names.map { "    \($0): int\n" }.joined())}\n".utf8)
        var content = ByteWriter()
        content.bytes = BlobLayout.magic
        content.u16(BlobLayout.formatVersion)
        content.u8(BlobKind.snapshot.rawValue)
        content.u8(0)
        content.u64(0)
        content.u64(1)
        content.u32(UInt32(schema.count))
        content.bytes += schema
        content.u32(0)
        let outcome = FuzzInputReplay(mode: 2, blobs: [content.bytes]).run()
        // Since object types are limited to 255 columns, the schema itself is refused, at once.
        guard case .schema(let error)? = outcome.error else {
            Issue.record("expected a schema error, got \(String(describing: outcome.error))")
            return
        }
        #expect(error.description.contains("50000 fields make 50000 columns"), "\(error)")
    }
}

/// Replays an input in the fuzzer's format (docs/FUZZING.md): byte 0 selects the mode (low two
/// bits: 0 snapshot, 1 chain, 2 raw snapshot, 3 raw chain); a chain is pieces of a 32-bit
/// little-endian length and that many bytes; raw blobs are wrapped in an LZ4 frame first.
struct FuzzInputReplay {
    var mode: UInt8
    var blobs: [[UInt8]]

    init(mode: UInt8, blobs: [[UInt8]]) {
        self.mode = mode
        self.blobs = blobs
    }

    init(base64: String) {
        let bytes = [UInt8](Data(base64Encoded: base64, options: .ignoreUnknownCharacters)!)
        mode = (bytes.first ?? 0) & 3
        let body = Array(bytes.dropFirst())
        guard mode & 1 == 1 else {
            blobs = [body]
            return
        }
        blobs = []
        var offset = 0
        while offset < body.count && blobs.count < 8 {
            var length = 0
            for index in 0..<4 where offset + index < body.count { length |= Int(body[offset + index]) << (8 * index) }
            offset = min(offset + 4, body.count)
            let end = min(offset + length, body.count)
            blobs.append(Array(body[offset..<end]))
            offset = end
        }
    }

    /// States loaded before the first error, that error, and the last state loaded.
    func run() -> (states: Int, error: BlobError?, state: ReadState?) {
        var states = 0
        var state: ReadState?
        do {
            let wrap = { (blob: [UInt8]) in self.mode & 2 == 2 ? BlobFrame.wrap(blob) : blob }
            guard let first = blobs.first else { return (0, nil, nil) }
            state = try ReadState(snapshot: wrap(first))
            states += 1
            for blob in blobs.dropFirst() {
                state = try state!.applying(delta: wrap(blob))
                states += 1
            }
            return (states, nil, state)
        } catch {
            return (states, error, state)
        }
    }
}

extension BlobError {
    func isCorrupt(mentioning text: String) -> Bool {
        if case .corrupt(let message) = self { message.contains(text) } else { false }
    }
}
