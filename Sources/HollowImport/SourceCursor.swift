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

    /// A cursor at the start of `bytes`, which is line `firstLine` of its file (a part of a file
    /// read beside its other parts starts on a later line).
    init(_ bytes: UnsafeRawBufferPointer, firstLine: Int = 1) {
        base = bytes.baseAddress
        count = bytes.count
        line = firstLine
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

    /// The end (exclusive) of the JSON value starting at `position`, found by its structure alone
    /// (brackets, strings and their escapes), without reading the value; nil when the value does not
    /// end on this line. The value itself is checked when it is read.
    func jsonValueEnd() -> Int? {
        guard let base, position < count else { return nil }
        var index = position
        var depth = 0
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                while index < count {
                    let inner = base.load(fromByteOffset: index, as: UInt8.self)
                    if inner == UInt8(ascii: "\"") { break }
                    if inner == UInt8(ascii: "\n") { return nil }
                    index += inner == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < count else { return nil }
                index += 1
                if depth == 0 { return index }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index > position ? index : nil }  // a scalar's end
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return depth == 0 && index > position ? index : nil
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"):
                if depth == 0 { return index > position ? index : nil }
            default:
                break
            }
            index += 1
        }
        return depth == 0 && index > position ? index : nil
    }

    /// Moves to `end`, a position on the same line after the cursor (from `jsonValueEnd`).
    mutating func skip(to end: Int) {
        precondition(end >= position && end <= count, "skipping backwards or past the end")
        position = end
    }

    /// The bytes from `start` to `end`.
    func bytes(from start: Int, to end: Int) -> UnsafeRawBufferPointer {
        precondition(start >= 0 && start <= end && end <= count, "a slice outside the bytes")
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    @inline(__always)
    private func check() {
        assert(position >= 0 && position <= count && lineStart <= position, "cursor out of its bytes")
    }
}
