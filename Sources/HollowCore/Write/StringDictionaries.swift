/// Whether the writer stores the values of a string or bytes field in a dictionary of its
/// distinct values (see `TypeData.Dictionary`): each record then holds the entry of its value, a
/// few bits, instead of its own copy of the bytes. It pays for a field whose records repeat a few
/// values (a category, a maintainer, a month); a read follows one more pointer.
///
/// The choice is made once per type and field, at the first state a write state writes for it,
/// from all of that state's values, and kept along the chain of deltas (a producer that restores
/// a state keeps its dictionaries). A dictionary's values are themselves coded with a symbol
/// table when `StringCompression` says so.
public enum StringDictionaries: Sendable, Equatable {
    /// A field gets a dictionary when its values take at least `minimumBytes` stored one per
    /// record, and the dictionary with the records' entries takes at most `maximumRatio` of that.
    case automatic(minimumBytes: Int = 16 << 10, maximumRatio: Double = 0.75)
    /// Every record stores its own value.
    case never
    /// Every string and bytes field of an object type gets a dictionary, whatever it saves (tests).
    case always

    /// The default: `.automatic()`.
    public static let `default` = StringDictionaries.automatic()
}
