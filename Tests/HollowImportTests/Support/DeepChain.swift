import HollowCore

/// A schema whose references chain `depth` types deep, the kinds taking turns (an object's field,
/// a list, a set, a map written as an object, a map written as pairs), and a JSON Lines record
/// that fills the whole chain: the deepest nesting a schema allows, for tests of readers that
/// must not recurse once per level.
struct DeepChain {
    let depth: Int
    let schema: Schema

    init(depth: Int) throws {
        self.depth = depth
        var text = "type Leaf { v: int }\ntype Key { k: string }\n"
        text.reserveCapacity(depth * 32)
        for level in 1...depth {
            let below = level == 1 ? "Leaf" : "L\(level - 1)"
            switch level % 5 {
            case 0: text += "type L\(level) { a: \(below) }\n"
            case 1: text += "list L\(level) of \(below)\n"
            case 2: text += "set L\(level) of \(below)\n"
            default: text += "map L\(level) of Key to \(below)\n"
            }
        }
        text += "type Top key(id) { id: int  deep: L\(depth) }\n"
        schema = try Schema(parsing: text)
    }

    /// One `Top` record on one line, nested `depth` levels below its `deep` field.
    var line: String {
        var opening = "", closing = ""
        opening.reserveCapacity(depth * 8)
        closing.reserveCapacity(depth * 4)
        for level in stride(from: depth, through: 1, by: -1) {
            switch level % 5 {
            case 0: opening += #"{"a": "#; closing += "}"
            case 1, 2: opening += "["; closing += "]"
            case 3: opening += #"{"k": "#; closing += "}"
            default: opening += #"[["k", "#; closing += "]]"
            }
        }
        return #"{"id": 1, "deep": "# + opening + #"{"v": 7}"# + String(closing.reversed()) + "}"
    }
}
