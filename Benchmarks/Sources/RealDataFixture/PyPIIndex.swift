/// One project of the PyPI list (one line of `pypi.tsv`). It is also the baseline's value type,
/// kept in a `[String: PyPIProject]` by name.
public struct PyPIProject: Sendable, Equatable, RealDataRow {
    public var name: String
    /// The latest version (empty for a few projects).
    public var version: String
    /// The month of that version, `YYYY-MM` (empty for a few projects).
    public var month: String
    /// Rank among the 15,000 most downloaded projects; nil for the others (most of them).
    public var rank: Int?
    public var summary: String

    public init(name: String, version: String, month: String, rank: Int?, summary: String) {
        self.name = name
        self.version = version
        self.month = month
        self.rank = rank
        self.summary = summary
    }
}

/// Reads the PyPI list: a header line `name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary`,
/// then one project a line with exactly five tab-separated fields. A malformed line gives a
/// `RealDataError` naming it.
public enum PyPIParser {
    public static let header = "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary"

    public static func parse(_ text: [UInt8], file: String) throws -> [PyPIProject] {
        try text.withUnsafeBufferPointer { bytes in try parse(bytes, file: file) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> [PyPIProject] {
        var lines = TextLines(bytes)
        guard let first = lines.next() else { throw RealDataError(file: file, line: 1, "the file is empty (expected the header line)") }
        guard bytes.string(first) == header else {
            throw RealDataError(file: file, line: 1, "expected the header '\(header.replacingTabs)', found '\((bytes.string(first) ?? "?").replacingTabs)'")
        }
        var projects: [PyPIProject] = []
        projects.reserveCapacity(bytes.count / 85)
        var fields: [Range<Int>] = []
        fields.reserveCapacity(5)
        while let line = lines.next() {
            let number = lines.number
            if line.isEmpty {
                // Only the end of the file may be empty (a final newline gives no line at all).
                throw RealDataError(file: file, line: number, "an empty line")
            }
            fields.removeAll(keepingCapacity: true)
            var start = line.lowerBound
            for index in line where bytes[index] == 0x09 {
                fields.append(start..<index)
                start = index + 1
            }
            fields.append(start..<line.upperBound)
            guard fields.count == 5 else {
                throw RealDataError(file: file, line: number, "expected 5 tab-separated fields (name, version, month, rank, summary), found \(fields.count)")
            }
            guard !fields[0].isEmpty else { throw RealDataError(file: file, line: number, "the name is empty") }
            var rank: Int?
            if !fields[3].isEmpty {
                guard let value = bytes.decimal(fields[3], maximum: Int64(Int32.max)) else {
                    throw RealDataError(file: file, line: number, "the rank must be empty or a whole number below 2^31, found '\(bytes.string(fields[3]) ?? "?")'")
                }
                rank = Int(value)
            }
            func text(_ index: Int, _ label: String) throws -> String {
                guard let string = bytes.string(fields[index]) else {
                    throw RealDataError(file: file, line: number, "the \(label) is not UTF-8")
                }
                return string
            }
            projects.append(PyPIProject(
                name: try text(0, "name"), version: try text(1, "version"), month: try text(2, "month"),
                rank: rank, summary: try text(4, "summary")))
        }
        return projects
    }
}

extension String {
    var replacingTabs: String { split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "\\t") }
}
