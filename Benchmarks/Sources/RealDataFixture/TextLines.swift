/// Lines of a text in memory, without copying: each line as a range of byte offsets, the newline
/// (and a carriage return before it) left out, and its 1-based number for error messages.
struct TextLines: IteratorProtocol {
    let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private(set) var number = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> Range<Int>? {
        guard offset < bytes.count else { return nil }
        let start = offset
        var end = start
        let count = bytes.count
        while end < count && bytes[end] != 0x0A { end &+= 1 }
        offset = end < count ? end &+ 1 : end
        number &+= 1
        if end > start && bytes[end &- 1] == 0x0D { end &-= 1 }
        return start..<end
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes in `range` as a `String`, checked to be UTF-8 (text that is not gives nil).
    func string(_ range: Range<Int>) -> String? {
        let slice = UnsafeBufferPointer(rebasing: self[range])
        var ascii = true
        for byte in slice where byte >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: slice, as: UTF8.self) }
        return String(validating: slice, as: UTF8.self)
    }

    /// `range` without the spaces and tabs at either end.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper && (self[lower] == 0x20 || self[lower] == 0x09) { lower &+= 1 }
        while upper > lower && (self[upper &- 1] == 0x20 || self[upper &- 1] == 0x09) { upper &-= 1 }
        return lower..<upper
    }

    /// Whether the bytes in `range` are `literal`'s.
    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let text = literal.utf8Start
        for index in 0..<range.count where self[range.lowerBound &+ index] != text[index] { return false }
        return true
    }

    /// A non-negative decimal integer (digits only, at most `maximum`), or nil.
    func decimal(_ range: Range<Int>, maximum: Int64) -> Int64? {
        guard !range.isEmpty, range.count <= 19 else { return nil }
        var value: Int64 = 0
        for index in range {
            let digit = self[index] &- 0x30
            guard digit <= 9 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value <= maximum ? value : nil
    }
}
