/// Whether the writer codes the values of a type's string and bytes fields with a symbol table
/// (`SymbolTable`: up to 255 common substrings of 1 to 8 bytes, a byte each), which shrinks text
/// to about half in memory and in blobs while every value stays readable on its own.
///
/// The choice is made once per type and field, at the first state a write state writes for it,
/// from a sample of that state's values, and kept along the chain of deltas (a producer that
/// restores a state keeps its tables).
public enum StringCompression: Sendable, Equatable {
    /// A field's values are coded when they hold at least `minimumBytes` in all and the table
    /// shrinks a sample of them to at most `maximumRatio` of its size.
    case automatic(minimumBytes: Int = 64 << 10, maximumRatio: Double = 0.8)
    /// Values are stored as they are.
    case never
    /// Every string and bytes field with any value is coded, whatever it saves (tests).
    case always

    /// The default: `.automatic()`.
    public static let `default` = StringCompression.automatic()
}
