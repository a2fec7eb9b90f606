import CatalogFixture
import HollowCore

/// One dataset's source and what is made from it, each made on first use and kept: the text of
/// the source file, the rows of the two cycles, the blobs of each mapping (from `RealDataCache`),
/// the first state and its primary-key index, the Dictionary baseline.
///
/// Not thread-safe: a benchmark process or the profiling driver uses it from one thread at a time.
public final class RealDataSession<M: RealDataModel>: @unchecked Sendable {
    public let source: SourceFile

    public init(source: SourceFile) { self.source = source }

    /// The session of the model's dataset, or why there is none.
    public static func open() -> Result<RealDataSession, RealDataError> {
        M.dataset.locate().map { RealDataSession(source: $0) }
    }

    public struct Cycles: Sendable {
        public let first: [M.Row]
        public let second: [M.Row]
        public let change: CycleChange
        /// Names that appeared more than once in the source (only the first kept).
        public let duplicates: [String]
    }

    private var text: [UInt8]?
    private var cycles: Cycles?
    private var blobs: [Mapping: RealDataBlobs] = [:]
    private var states: [Mapping: (state: ReadState, index: PrimaryKeyIndex)] = [:]
    private var keys: [String]?
    private var dictionary: [String: M.Row]?

    /// The source file's text (decompressed).
    public func sourceText() throws -> [UInt8] {
        if let text { return text }
        let read = try source.contents()
        text = read
        return read
    }

    /// The rows of both cycles.
    public func rows() throws -> Cycles {
        if let cycles { return cycles }
        let (first, duplicates) = try RealData.rows(M.self, from: try sourceText(), file: source.path)
        let (second, change) = RealData.secondCycle(M.self, first)
        let made = Cycles(first: first, second: second, change: change, duplicates: duplicates)
        cycles = made
        return made
    }

    /// Drops the text and the rows (the memory benchmarks measure from a heap without them).
    public func dropSource() {
        text = nil
        cycles = nil
    }

    public func blobs(_ mapping: Mapping) throws -> RealDataBlobs {
        if let made = blobs[mapping] { return made }
        let made = try RealDataCache.blobs(M.self, mapping: mapping, source: source) {
            let cycles = try rows()
            return (cycles.first, cycles.second)
        }
        blobs[mapping] = made
        return made
    }

    /// The state of the first cycle (from its snapshot) and its primary-key index.
    public func firstState(_ mapping: Mapping) throws -> (state: ReadState, index: PrimaryKeyIndex) {
        if let made = states[mapping] { return made }
        let state = try ReadState(snapshot: try blobs(mapping).snapshot1)
        let made = (state, try PrimaryKeyIndex(state, type: M.recordType))
        states[mapping] = made
        return made
    }

    /// Every name of the first cycle in a fixed random order: the lookups' keys, the same for
    /// every mapping and for the Dictionary (taken from the plain state, so that the Hollow
    /// benchmarks need not parse the source).
    public func lookupKeys() throws -> [String] {
        if let keys { return keys }
        let made = RealData.shuffledKeys(try RealData.names(M.self, in: try firstState(.plain).state))
        keys = made
        return made
    }

    /// The baseline, built from the rows of the first cycle.
    public func baseline() throws -> [String: M.Row] {
        if let dictionary { return dictionary }
        let made = RealData.dictionary(try rows().first)
        dictionary = made
        return made
    }
}
