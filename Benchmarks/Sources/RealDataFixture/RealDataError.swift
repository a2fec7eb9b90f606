/// Why a source file could not be used: what is wrong and where (file and 1-based line).
public struct RealDataError: Error, CustomStringConvertible, Sendable {
    public let file: String
    /// The 1-based line, or nil when the problem is not at one line (a missing file, a failed decompression).
    public let line: Int?
    public let message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
