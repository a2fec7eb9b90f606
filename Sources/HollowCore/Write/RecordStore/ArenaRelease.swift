#if canImport(Glibc)
import Glibc
#endif

/// Gives the pages of a record store's arena back to the system while a build reads the records
/// in arena order (`RecordStore.withContentsReleasingArena`), so that the arena shrinks as the
/// storage that replaces it grows, instead of both being held whole at the end of a build.
///
/// Only whole system pages inside a range are given back (on Linux, `MADV_DONTNEED`: they read as
/// zeros after); elsewhere nothing is. Each reader gives back only bytes it has read of its own
/// range of the arena, so ranges read by other threads are never touched.
struct ArenaRelease: @unchecked Sendable {  // a pointer into an arena its store keeps alive and unread
    private let base: UnsafeMutableRawPointer
    private let count: Int
    private static let systemPageBytes: Int = {
        #if canImport(Glibc)
        return Swift.max(4096, sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 4096
        #endif
    }()

    init(_ arena: UnsafeMutableRawBufferPointer) {
        base = arena.baseAddress ?? UnsafeMutableRawPointer(bitPattern: Self.systemPageBytes)!
        count = arena.count
    }

    /// Gives back the whole pages inside `range` of the arena; returns where the last page given
    /// back ends (or the range's start rounded up, when none was), from which to go on.
    @discardableResult
    func giveBack(_ range: Range<Int>) -> Int {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "outside the arena")
        let page = Self.systemPageBytes
        let address = Int(bitPattern: base)
        let start = (address + range.lowerBound + page - 1) & ~(page - 1)
        let end = (address + range.upperBound) & ~(page - 1)
        guard end > start else { return start - address }
        #if canImport(Glibc)
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED)
        #endif
        return end - address
    }

    /// Where a range starting at `offset` may begin giving back (its first whole page).
    func firstPage(from offset: Int) -> Int {
        let page = Self.systemPageBytes
        let address = Int(bitPattern: base)
        return ((address + offset + page - 1) & ~(page - 1)) - address
    }
}
