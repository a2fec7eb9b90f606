import HollowCore
import HollowTools
import Testing
import TestThreads

/// A record as deep as its schema's chain of references (objects, lists, sets and maps taking
/// turns, twenty thousand types) is written as JSON on a 512 KiB stack, in full.
@Suite(.onTestThreads) struct RecordJSONDepthTests {
    static let depth = 20_000

    static var schemaText: String {
        var text = "type Leaf { v: int }\ntype Key { k: string }\n"
        for level in 1...depth {
            let below = level == 1 ? "Leaf" : "L\(level - 1)"
            switch level % 4 {
            case 0: text += "type L\(level) { a: \(below) }\n"
            case 1: text += "list L\(level) of \(below)\n"
            case 2: text += "set L\(level) of \(below)\n"
            default: text += "map L\(level) of Key to \(below)\n"
            }
        }
        return text + "type Top { id: int  deep: L\(depth) }\n"
    }

    /// The one `Top` record's JSON, built by hand (the leaf, a one-field record, as its value).
    static var expectedJSON: String {
        var opening = "", closing = ""
        for level in stride(from: depth, through: 1, by: -1) {
            switch level % 4 {
            case 0: opening += #"{"a": "#; closing += "}"
            case 1, 2: opening += "["; closing += "]"
            default: opening += #"{"k": "#; closing += "}"
            }
        }
        return #"{"id": 1, "deep": "# + opening + "7" + String(closing.reversed()) + "}"
    }

    @Test func aRecordAsDeepAsItsSchemaIsWrittenInFull() async throws {
        let builder = try StateBuilder(schema: Self.schemaText)
        let state = builder.state
        var below = try builder.add("Leaf", ["v": .int(7)])
        let key = try builder.add("Key", ["k": .string("k")])
        for level in 1...Self.depth {
            let name = "L\(level)"
            switch level % 4 {
            case 0: below = try builder.add(name, ["a": .reference(below)])
            case 1: below = try state.add(list: [below], to: name)
            case 2: below = try state.add(set: [below], to: name)
            default: below = try state.add(map: [(key: key, value: below)], to: name)
            }
        }
        let top = try builder.add("Top", ["id": .int(1), "deep": .reference(below)])
        let readState = try builder.readState()
        let json = try await onSmallStack { RecordJSON(state: readState).object("Top", top) }
        let expected = Self.expectedJSON
        // Compared without printing: the texts are hundreds of kilobytes.
        let same = json == expected
        #expect(same, "\(json.utf8.count) bytes, expected \(expected.utf8.count); first difference at byte \(zip(json.utf8, expected.utf8).prefix { $0 == $1 }.count)")
    }
}
