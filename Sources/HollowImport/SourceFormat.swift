/// The text formats records can be imported from. A first line (CSV, TSV) or each object's keys
/// (JSON Lines) name the fields of the schema.
public enum SourceFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// One JSON object per line; lists, sets and maps as arrays and objects.
    case jsonLines = "jsonl"
    /// Comma-separated values (RFC 4180 quoting), a header row naming the fields.
    case csv
    /// Tab-separated values, a header row naming the fields; `\t`, `\n`, `\r` and `\\` escapes.
    case tsv

    /// The format a file name's extension stands for (`.jsonl`, `.ndjson`, `.csv`, `.tsv`, `.tab`).
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        self.init(name: String(fileName[fileName.index(after: dot)...]))
    }

    /// The format named `name` (`jsonl`, `jsonlines`, `ndjson`, `csv`, `tsv`, `tab`), any case.
    public init?(name: String) {
        switch name.lowercased() {
        case "jsonl", "jsonlines", "ndjson", "json-lines": self = .jsonLines
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .jsonLines: "JSON Lines"
        case .csv: "CSV"
        case .tsv: "TSV"
        }
    }
}
