/// A growable set of ordinals, one bit each.
struct OrdinalSet: Equatable, Sendable {
    private(set) var words: [UInt64] = []
    private(set) var count = 0

    /// Equal members, whatever trailing empty words either set has kept.
    static func == (lhs: OrdinalSet, rhs: OrdinalSet) -> Bool {
        guard lhs.count == rhs.count else { return false }
        let shared = min(lhs.words.count, rhs.words.count)
        return lhs.words[..<shared] == rhs.words[..<shared]
            && lhs.words[shared...].allSatisfy { $0 == 0 } && rhs.words[shared...].allSatisfy { $0 == 0 }
    }

    func contains(_ ordinal: Int) -> Bool {
        let word = ordinal >> 6
        return word < words.count && words[word] & (1 << UInt64(ordinal & 63)) != 0
    }

    mutating func insert(_ ordinal: Int) {
        let word = ordinal >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(ordinal & 63)
        if words[word] & bit == 0 {
            words[word] |= bit
            count += 1
        }
    }

    mutating func remove(_ ordinal: Int) {
        let word = ordinal >> 6
        guard word < words.count else { return }
        let bit: UInt64 = 1 << UInt64(ordinal & 63)
        if words[word] & bit != 0 {
            words[word] &= ~bit
            count -= 1
        }
    }

    /// One past the largest member (0 when empty).
    var upperBound: Int {
        for word in words.indices.reversed() where words[word] != 0 {
            return (word << 6) + 64 - words[word].leadingZeroBitCount
        }
        return 0
    }

    func forEach(_ body: (Int) throws -> Void) rethrows {
        for (index, var word) in words.enumerated() {
            while word != 0 {
                try body((index << 6) + word.trailingZeroBitCount)
                word &= word &- 1
            }
        }
    }

    /// Members of `self` that are not in `other`, ascending.
    func subtracting(_ other: OrdinalSet) -> [Int] {
        var result: [Int] = []
        for (index, word) in words.enumerated() {
            var bits = word & ~(index < other.words.count ? other.words[index] : 0)
            while bits != 0 {
                result.append((index << 6) + bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
        return result
    }
}
