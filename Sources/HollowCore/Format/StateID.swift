/// State ids are random 64-bit numbers minted by the writer for each state it produces.
public enum StateID {
    public static func text(_ id: UInt64) -> String {
        let hex = String(id, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
