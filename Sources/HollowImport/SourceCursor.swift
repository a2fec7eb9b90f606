/// A position in the bytes of a source file, with the line it is on: the one place the importer
/// reads raw memory. Every read is checked against the end (invariant: 0 <= position <= count), so
/// a truncated file ends a value instead of reading past the buffer.
struct SourceCursor {
    private let base: UnsafeRawPointer?
    let count: Int
    private(set) var position = 0
    /// 1-based number of the line `position` is on, and the offset where that line starts.
    private(set) var line = 1
    private(set) var lineStart = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        count = bytes.count
    }

    var isAtEnd: Bool { position >= count }

    /// 1-based byte column of `position` on its line.
    var column: Int { position - lineStart + 1 }

    /// The byte at `position`, or nil at the end.
    @inline(__always)
    func peek() -> UInt8? {
        position < count ? base.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self) : nil
    }

    /// The byte `offset` bytes after `position`, or nil past the end.
    @inline(__always)
    func peek(at offset: Int) -> UInt8? {
        let index = position + offset
        return index >= 0 && index < count ? base.unsafelyUnwrapped.load(fromByteOffset: index, as: UInt8.self) : nil
    }

    @inline(__always)
    mutating func advance(by steps: Int = 1) {
        position = Swift.min(position + steps, count)
        check()
    }

    /// Moves past a line break that `position` is on (`\n`, or `\r\n`), counting the new line.
    mutating func passLineBreak() {
        if peek() == UInt8(ascii: "\r") { advance() }
        if peek() == UInt8(ascii: "\n") { advance() }
        line += 1
        lineStart = position
    }

    /// Counts a line break inside a value (a quoted CSV cell) that `position` has just passed.
    mutating func noteLineBreak() {
        line += 1
        lineStart = position
    }

    /// The bytes from `start` up to `position`.
    func bytes(from start: Int) -> UnsafeRawBufferPointer {
        precondition(start >= 0 && start <= position, "a slice starts before the cursor")
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + start, count: position - start)
    }

    /// Moves `position` to the first byte at or after it for which `stop` is true (or the end).
    @inline(__always)
    mutating func skip(while keep: (UInt8) -> Bool) {
        guard let base else { return }
        var index = position
        while index < count, keep(base.load(fromByteOffset: index, as: UInt8.self)) { index += 1 }
        position = index
    }

    @inline(__always)
    private func check() {
        assert(position >= 0 && position <= count && lineStart <= position, "cursor out of its bytes")
    }
}
