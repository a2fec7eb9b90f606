import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A source file read whole into memory of its own, for `RecordImporter.importRecords(from:format:type:file:into:progress:)`.
///
/// The file is copied, not mapped: a mapped file that another process rewrites or truncates during
/// the cycle would mix two versions of it or fault. While CSV and TSV rows are read, the pages the
/// readers have passed are given back to the system, so that the file's copy shrinks as the write
/// state grows instead of adding to it at the end of the import. JSON Lines keeps its pages: the
/// reader's cache of nested values points into the text it has read.
public final class SourceFile: @unchecked Sendable {
    /// The path the file was read from (the name errors give).
    public let path: String
    /// The file's bytes. Only bytes no reader will look at again are given back (on Linux they
    /// then read as zeros): a source file is imported once.
    let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawBufferPointer?
    private let givenBack = Atomic<Int>(0)
    /// Whether an import that gives pages back has started on this file.
    private let claimed = Atomic<Bool>(false)

    /// Why a file could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let path: String
        /// What failed (`open`, `read`, ...) and the system's reason.
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads the whole file at `path`: a regular file, or a pipe or device to its end.
    public init(contentsOf path: String) throws(ReadError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(path: path, reason: "cannot open: \(Self.systemError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError(path: path, reason: "cannot stat: \(Self.systemError())") }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw ReadError(path: path, reason: "a directory, not a file") }
        if status.st_mode & S_IFMT == S_IFREG {
            let size = Int(status.st_size)
            mapping = try Self.readWhole(descriptor, size: size, path: path)
        } else {
            // A pipe or a device (`<(zcat file.gz)`, /dev/stdin): its size is known at its end.
            let streamed = try Self.readToEnd(descriptor, path: path)
            mapping = try Self.allocate(streamed.count, path: path)
            if let mapping { streamed.withUnsafeBytes { mapping.copyMemory(from: $0) } }
        }
        bytes = mapping.map { UnsafeRawBufferPointer($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Anonymous memory of our own, whose pages can be given back one by one (nil for no bytes).
    private static func allocate(_ size: Int, path: String) throws(ReadError) -> UnsafeMutableRawBufferPointer? {
        guard size > 0 else { return nil }
        guard let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), address != MAP_FAILED else {
            throw ReadError(path: path, reason: "cannot allocate \(size) bytes: \(systemError())")
        }
        return UnsafeMutableRawBufferPointer(start: address, count: size)
    }

    /// The `size` bytes of a regular file.
    private static func readWhole(_ descriptor: Int32, size: Int, path: String) throws(ReadError) -> UnsafeMutableRawBufferPointer? {
        guard let buffer = try allocate(size, path: path) else { return nil }
        let address = buffer.baseAddress!
        var filled = 0
        while filled < size {
            let count = read(descriptor, address + filled, size - filled)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let reason = count == 0 ? "the file ended after \(filled) of its \(size) bytes (it changed while read)"
                    : "cannot read: \(systemError())"
                munmap(address, size)
                throw ReadError(path: path, reason: reason)
            }
            filled += count
        }
        return buffer
    }

    /// Everything a stream gives until its end.
    private static func readToEnd(_ descriptor: Int32, path: String) throws(ReadError) -> [UInt8] {
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw ReadError(path: path, reason: "cannot read: \(systemError())") }
            if count == 0 { return content }
            content.append(contentsOf: chunk[0..<count])
        }
    }

    deinit {
        if let mapping { munmap(mapping.baseAddress, mapping.count) }
    }

    /// Bytes in the file.
    public var count: Int { bytes.count }

    /// Bytes given back to the system so far (whole pages).
    public var bytesGivenBack: Int { givenBack.load(ordering: .relaxed) }

    /// Whether an import may read the file: not after one that gives pages back has started;
    /// `givingBack` claims it for such an import.
    func mayImport(givingBack: Bool) -> Bool {
        givingBack ? claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
            : !claimed.load(ordering: .acquiring)
    }

    /// Gives back the whole pages inside `range`, which no reader reads again, and returns where
    /// they end (`range.lowerBound` when there were none): the start of the next range to give.
    func giveBack(_ range: Range<Int>) -> Int {
        guard let mapping, !range.isEmpty else { return range.lowerBound }
        let page = Self.pageSize
        let start = (Swift.max(0, range.lowerBound) + page - 1) / page * page
        let end = Swift.min(range.upperBound, mapping.count) / page * page
        guard end > start, madvise(mapping.baseAddress! + start, end - start, MADV_DONTNEED) == 0 else { return range.lowerBound }
        givenBack.add(end - start, ordering: .relaxed)
        return end
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
