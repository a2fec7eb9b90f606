#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The ordinal each nested value's exact text gave, in one file: a director, a cast list or a set of
/// genres written again, byte for byte, on another line is the same record, so it is not read and
/// added again. (Most of a large file's nested values repeat: a million movies name a few hundred
/// thousand people and a few dozen genre sets.) A type whose values rarely repeat stops being cached
/// after a few thousand look-ups, so that unique values cost no memory here.
struct ValueCache {
    private struct Key: Hashable {
        let type: Int
        let hash: UInt64
        /// Into the file's bytes, which outlive the cache (one cache per file read).
        let text: UnsafeRawBufferPointer

        static func == (left: Key, right: Key) -> Bool {
            left.type == right.type && left.hash == right.hash && left.text.count == right.text.count
                && (left.text.isEmpty || memcmp(left.text.baseAddress!, right.text.baseAddress!, left.text.count) == 0)
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    private struct Usage {
        var lookups = 0
        var hits = 0
        var enabled = true
    }

    /// Values nested deeper in a line than this are not looked up: finding a value's end and
    /// hashing it read its whole text, so each level looked up costs a pass over the line, and a
    /// line nested as deep as a long chain of types would cost a pass per level. Real data nests a
    /// few levels; its repeated values (a director, a genre set) are near the top.
    static let deepestCachedLevel = 16

    private var ordinals: [Key: Int] = [:]
    private var usage: [Usage]

    init(typeCount: Int) {
        usage = Array(repeating: Usage(), count: typeCount)
    }

    func isEnabled(for type: Int) -> Bool { usage[type].enabled }

    mutating func ordinal(of text: UnsafeRawBufferPointer, type: Int) -> (Int?, hash: UInt64) {
        let hash = Self.hash(text)
        usage[type].lookups += 1
        guard let ordinal = ordinals[Key(type: type, hash: hash, text: text)] else {
            // After 4,096 look-ups, a type that found fewer than one value in eight is not cached.
            if usage[type].lookups == 4_096, usage[type].hits * 8 < usage[type].lookups { usage[type].enabled = false }
            return (nil, hash)
        }
        usage[type].hits += 1
        return (ordinal, hash)
    }

    mutating func remember(_ ordinal: Int, of text: UnsafeRawBufferPointer, hash: UInt64, type: Int) {
        guard usage[type].enabled else { return }
        ordinals[Key(type: type, hash: hash, text: text)] = ordinal
    }

    /// A 64-bit hash of `bytes`, eight at a time.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 31)
    }
}
