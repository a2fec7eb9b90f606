/// Cuts a streamed answer into its lines (one JSON object each), across chunk boundaries.
struct LineSplitter: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line without its newline, or nil when none is complete yet. A line longer
    /// than `limit` is a malformed answer.
    mutating func nextLine(limit: Int) throws(EtcdError) -> [UInt8]? {
        guard let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            guard buffer.count - start <= limit else {
                throw .malformedResponse(what: "a line longer than \(limit) bytes", where: "watch response")
            }
            return nil
        }
        let line = Array(buffer[start..<end])
        start = end + 1
        return line
    }
}
