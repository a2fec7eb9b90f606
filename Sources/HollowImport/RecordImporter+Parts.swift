import Foundation
import HollowCore
import Synchronization

/// Reading a large file on every core: the file is cut at line starts into parts, each read by a
/// reader of its own on a thread of its own, all adding to the one write state (which takes adds
/// from several threads) and noting keys in one shared tracker. The records, their ordinals aside,
/// and every error are those of a reading from start to end: a part knows the line it starts on,
/// and the first problem in the file is the one reported.
extension RecordImporter {
    /// `source`, when given, holds `bytes`: the pages each part has read are given back to the
    /// system as it goes (only for readers that keep nothing that points into the text).
    static func read(_ bytes: UnsafeRawBufferPointer, format: SourceFormat, position: Int, context: ImportContext,
                     tracker: SharedKeyTracker?, minimumPartBytes: Int, givingBack source: SourceFile? = nil,
                     progress: ((Int) -> Void)?) throws(ImportError) -> Int {
        let separator = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")
        // The rows start after the header of a delimited file; the header is read first, alone.
        let columns: [DelimitedReader.Column]
        let start: Int
        let firstLine: Int
        if format == .jsonLines {
            (columns, start, firstLine) = ([], 0, 1)
        } else {
            // The rows start on the line the header's reader ended on (it counts every line break,
            // a lone carriage return too).
            var header = DelimitedReader(bytes, separator: separator, quoted: format == .csv, context: context, tracker: tracker)
            columns = try header.readHeader(of: position)
            (start, firstLine) = (header.position, header.line)
        }
        let parts = lineParts(bytes, from: start, firstLine: firstLine, minimumBytes: minimumPartBytes,
                              cores: ProcessInfo.processInfo.activeProcessorCount, quoted: format == .csv)
        if parts.count == 1 {
            var giving = PagesGivenBack(source: source, part: parts[0])
            return try readPartOnThread(bytes, part: parts[0], index: 0, format: format, separator: separator, columns: columns,
                                        position: position, context: context, tracker: tracker) { read in
                giving.passed(read)
                progress?(start + read)
            }
        }

        // Parts after the first on threads of their own; the first on this one, which also reports
        // the bytes every part has read.
        let done = Mutex<[Int]>(Array(repeating: 0, count: parts.count))
        let results = Mutex<[Result<Int, ImportError>?]>(Array(repeating: nil, count: parts.count))
        let finished = DispatchGroup()
        let shared = SharedBytes(bytes)
        for index in parts.indices.dropFirst() {
            finished.enter()
            let part = parts[index]
            let thread = Thread {
                var giving = PagesGivenBack(source: source, part: part)
                let result = Result<Int, ImportError> { () throws(ImportError) -> Int in
                    try shared.withBytes { (bytes) throws(ImportError) -> Int in
                        try readPartOnThread(bytes, part: part, index: index, format: format, separator: separator, columns: columns,
                                             position: position, context: context, tracker: tracker) { read in
                            giving.passed(read)
                            done.withLock { $0[index] = read }
                        }
                    }
                }
                results.withLock { $0[index] = result }
                finished.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        var giving = PagesGivenBack(source: source, part: parts[0])
        let first = Result<Int, ImportError> { () throws(ImportError) -> Int in
            try readPartOnThread(bytes, part: parts[0], index: 0, format: format, separator: separator, columns: columns,
                                 position: position, context: context, tracker: tracker) { read in
                giving.passed(read)
                let total = done.withLock { done in
                    done[0] = read
                    return done.reduce(0, +)
                }
                progress?(start + total)
            }
        }
        finished.wait()
        // The problem a reading from start to end would have met first: the earliest part's, or a
        // key conflict before it whose later line another part read past.
        var count = 0
        var problem: ImportError?
        for result in [first] + results.withLock({ Array($0.dropFirst()) }) {
            switch result! {
            case .success(let records): count += records
            case .failure(let error): problem = problem ?? error
            }
        }
        if let conflict = context.conflictReadPast, problem.map({ conflict.line < $0.line }) ?? true { problem = conflict }
        if let problem { throw problem }
        progress?(bytes.count)
        return count
    }

    /// A part of a file: its bytes and the line it starts on.
    struct Part: Sendable {
        let range: Range<Int>
        let firstLine: Int
    }

    /// `bytes` from `start`, which is on line `firstLine`, cut after line feeds into parts of at
    /// least `minimumBytes` bytes, at most one per core. One part when the file is smaller, when it
    /// has a carriage return that is not followed by a line feed (a line break the cut would not
    /// count), and, for CSV, when it has a quote (a quoted cell may hold a line break).
    static func lineParts(_ bytes: UnsafeRawBufferPointer, from start: Int, firstLine: Int, minimumBytes: Int, cores: Int,
                          quoted: Bool) -> [Part] {
        let whole = [Part(range: start..<bytes.count, firstLine: firstLine)]
        let count = Swift.min(cores, (bytes.count - start) / Swift.max(1, minimumBytes), 8)
        guard count > 1, let base = bytes.baseAddress else { return whole }
        if quoted, memchr(base + start, Int32(UInt8(ascii: "\"")), bytes.count - start) != nil { return whole }
        var carriage = start
        while let found = memchr(base + carriage, Int32(UInt8(ascii: "\r")), bytes.count - carriage) {
            let offset = UnsafeRawPointer(found) - base
            guard offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "\n") else { return whole }
            carriage = offset + 1
        }
        var parts: [Part] = []
        var partStart = start
        var line = whole[0].firstLine
        for index in 1..<count {
            let target = start + (bytes.count - start) * index / count
            guard target > partStart, let found = memchr(base + target, Int32(UInt8(ascii: "\n")), bytes.count - target) else { continue }
            let cut = UnsafeRawPointer(found) - base + 1
            guard cut < bytes.count else { break }
            parts.append(Part(range: partStart..<cut, firstLine: line))
            line += lineCount(UnsafeRawBufferPointer(rebasing: bytes[partStart..<cut]), upTo: cut - partStart)
            partStart = cut
        }
        parts.append(Part(range: partStart..<bytes.count, firstLine: line))
        return parts
    }

    /// Line feeds in the first `end` bytes.
    private static func lineCount(_ bytes: UnsafeRawBufferPointer, upTo end: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var offset = 0
        while offset < end, let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), end - offset) {
            count += 1
            offset = UnsafeRawPointer(found) - base + 1
        }
        return count
    }
}

/// The pages of one part that its reader has passed, given back as it reports its progress (on
/// the part's own thread): each page once, and only whole pages inside the part
/// (`SourceFile.giveBack`), so that a page shared with the next part stays.
private struct PagesGivenBack {
    let source: SourceFile?
    let start: Int
    var passedUpTo: Int

    init(source: SourceFile?, part: RecordImporter.Part) {
        self.source = source
        start = part.range.lowerBound
        passedUpTo = part.range.lowerBound
    }

    /// The reader has read `count` bytes of its part: every row before them is added or batched,
    /// and nothing it keeps points into them.
    mutating func passed(_ count: Int) {
        guard let source, start + count > passedUpTo else { return }
        passedUpTo = source.giveBack(passedUpTo..<(start + count))
    }
}

/// Reads one part on a thread of its own (a free function: the thread's closure captures only
/// `Sendable` values).
private func readPartOnThread(_ bytes: UnsafeRawBufferPointer, part: RecordImporter.Part, index: Int, format: SourceFormat,
                              separator: UInt8, columns: [DelimitedReader.Column], position: Int, context: ImportContext,
                              tracker: SharedKeyTracker?, progress: @escaping (Int) -> Void) throws(ImportError) -> Int {
    let slice = UnsafeRawBufferPointer(rebasing: bytes[part.range])
    do {
        switch format {
        case .jsonLines:
            var reader = JSONLinesReader(slice, context: context, tracker: tracker, firstLine: part.firstLine)
            reader.part = index
            return try reader.readRecords(of: position, progress: progress)
        case .csv, .tsv:
            var reader = DelimitedReader(slice, separator: separator, quoted: format == .csv, context: context, tracker: tracker,
                                         firstLine: part.firstLine)
            reader.part = index
            return try reader.readRows(of: position, columns: columns, progress: progress)
        }
    } catch {
        context.partFailed(index)
        throw error
    }
}

/// The source's bytes, handed to the threads that read its parts: the caller keeps them alive
/// and unchanged until every thread has finished (`RecordImporter.read` waits for them).
private struct SharedBytes: @unchecked Sendable {
    private let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ImportError) -> R) throws(ImportError) -> R { try body(bytes) }
}
