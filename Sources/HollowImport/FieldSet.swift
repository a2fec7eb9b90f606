/// Which fields of an object were given (a schema has at most 255 fields).
struct FieldSet {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Adds `index`; false when it was there already.
    mutating func insert(_ index: Int) -> Bool {
        precondition(index >= 0 && index < 256, "a schema has at most 255 fields")
        let bit = UInt64(1) << UInt64(index & 63)
        return withUnsafeMutableBytes(of: &words) { raw in
            let word = raw.baseAddress!.assumingMemoryBound(to: UInt64.self) + (index >> 6)
            defer { word.pointee |= bit }
            return word.pointee & bit == 0
        }
    }
}
