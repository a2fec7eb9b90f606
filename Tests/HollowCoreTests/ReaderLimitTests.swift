import Testing
import TestThreads
@testable import HollowCore

/// Every limit a reader applies is one the writer keeps: what the writer accepts, a reader takes
/// back. `PropertyTests.degenerateShapesReadBackWhateverTheWriterWrote` tries random shapes at the
/// edges; these are the cases that once failed, and the limits the schema enforces for the format.
@Suite(.onTestThreads) struct ReaderLimitTests {
    /// Thousands of copies of one element: a pool of zero-bit elements, which takes no room in the
    /// blob. Its size was once bounded by the bytes left in the blob and refused on read-back.
    @Test(arguments: [5_000, 70_000])
    func aListOfOneElementRepeatedReadsBack(count: Int) throws {
        let schema = try Schema(parsing: "type Tag { name: string }\nlist Tags of Tag\ntype Item { tags: Tags }")
        let writer = WriteState(schema: schema)
        try writer.beginCycle()
        var tag = ObjectRecord(schema.object("Tag")!)
        try tag.set("name", .string("only"))
        let only = try writer.add(tag)
        let list = try writer.add(list: Array(repeating: only, count: count), to: "Tags")
        var item = ObjectRecord(schema.object("Item")!)
        try item.set("tags", .reference(list))
        _ = try writer.add(item)
        let first = try #require(try writer.writeBlobs())
        writer.commit()
        let state = try ReadState(snapshot: first.snapshot)
        #expect(try #require(state.listType("Tags")).elements(list) == Array(repeating: only, count: count))

        // And through a delta that doubles it, and its reverse.
        try writer.beginCycle()
        _ = try writer.add(tag)
        let longer = try writer.add(list: Array(repeating: only, count: 2 * count), to: "Tags")
        try item.set("tags", .reference(longer))
        _ = try writer.add(item)
        let second = try #require(try writer.writeBlobs())
        let next = try state.applying(delta: try #require(second.delta))
        #expect(try #require(next.listType("Tags")).count(longer) == 2 * count)
        let back = try next.applying(delta: try #require(second.reverseDelta))
        #expect(try #require(back.listType("Tags")).count(list) == count)
    }

    /// A blob has a section per type, and the reader takes at most twice `maximumTypes` of them
    /// (a delta between two schemas): the schema refuses more types than that.
    @Test func aSchemaOfMoreTypesThanABlobHoldsIsRefused() throws {
        let types = (0...Schema.maximumTypes).map { TypeSchema.object(ObjectSchema("T\($0)", fields: [FieldSchema("v", .int)])) }
        #expect(throws: SchemaError.self) { try Schema(types) }
        _ = try Schema(Array(types.prefix(1_000)))
        #expect(BlobLayout.maximumSections >= 2 * Schema.maximumTypes)
    }

    /// Every blob carries the schema's text, and the reader refuses a text over its limit: the
    /// schema refuses to be longer.
    @Test func aSchemaWhoseTextIsTooLongForABlobIsRefused() throws {
        let longName = String(repeating: "f", count: 250)
        let fields = (0..<200).map { FieldSchema("\(longName)\($0)", .int) }
        let typeCount = Schema.maximumTextBytes / (200 * 255) + 2
        let types = (0..<typeCount).map { TypeSchema.object(ObjectSchema("T\($0)", fields: fields)) }
        do {
            _ = try Schema(types)
            Issue.record("a schema of more than \(Schema.maximumTextBytes) bytes of text was accepted")
        } catch {
            #expect("\(error)".contains("at most \(Schema.maximumTextBytes)"))
        }
        #expect(BlobLayout.maximumSchemaBytes == Schema.maximumTextBytes)
    }
}
