import HollowCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads records from JSON Lines, CSV or TSV text into a write state: each line (row) is one record
/// of an object type, the keys (header) naming its fields. A reference field holds the referenced
/// record inline: an object, an array for a list or set, an object or `[key, value]` pairs for a
/// map, or, for a type with one scalar field, just that value (`"country": "NL"`).
///
///     try await producer.runCycle { state in
///         var importer = RecordImporter(schema: schema)   // one importer per cycle
///         try bytes.withUnsafeBytes { try importer.importRecords(from: $0, format: .jsonLines, type: "Movie", file: "movies.jsonl", into: state) }
///     }
///
/// An importer belongs to one cycle of one write state: the primary keys it has noted are compared
/// with that state's records by ordinal (their bytes are not kept), so an importer used again after
/// a rollback, or with another write state, reports places of records that are no longer there.
///
/// The first problem stops the import with an `ImportError` naming the file, line and column.
/// Primary keys are checked across all the files one importer reads: a second, different record
/// with a key already seen is refused. An importer belongs to one cycle: it remembers the keys and
/// ordinals of that cycle, so a new cycle takes a new importer.
public struct RecordImporter: Sendable {
    public let schema: Schema
    let shape: ImportShape
    private var files: [String] = []
    private var trackers: [Int: PrimaryKeyTracker] = [:]
    /// Per type: the lines and bytes of its sources read so far, the room asked of the write state.
    private var sourceSizes: [String: (lines: Int, bytes: Int)] = [:]
    /// Records read so far, per type.
    public private(set) var recordCounts: [String: Int] = [:]
    /// A file is read in parts side by side, one per core, when each part would hold at least
    /// this many bytes (tests lower it).
    var minimumPartBytes = 4 << 20

    public init(schema: Schema) {
        self.schema = schema
        shape = ImportShape(schema)
    }

    /// An importer that reads some fields under other names: `sourceNames[type][field]` is the
    /// JSON key or the column of a header that holds `field` of records of `type` (real files
    /// rarely use the schema's names: `["Package": ["rank": "rank_among_15000_most_downloaded"]]`).
    /// A field not named there is read under its own name.
    ///
    /// - Throws: `SourceNameError` for a type or field the schema does not have, or a source
    ///   name that another field of the type already answers to.
    public init(schema: Schema, sourceNames: [String: [String: String]]) throws(SourceNameError) {
        for (type, names) in sourceNames.sorted(by: { $0.key < $1.key }) {
            guard let object = schema.object(type) else { throw .unknownType(type) }
            var taken: [String: String] = [:]  // source name to field
            for field in object.fields {
                let name = names[field.name] ?? field.name
                if let other = taken[name] { throw .sameName(type: type, name: name, fields: [other, field.name]) }
                taken[name] = field.name
            }
            for (field, name) in names.sorted(by: { $0.key < $1.key }) {
                guard object.fieldIndex(field) != nil else { throw .unknownField(type: type, field: field) }
                guard !name.isEmpty else { throw .emptyName(type: type, field: field) }
            }
        }
        self.schema = schema
        shape = ImportShape(schema, sourceNames: sourceNames)
    }

    /// Why other names for fields were refused.
    public enum SourceNameError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownType(String)
        case unknownField(type: String, field: String)
        case emptyName(type: String, field: String)
        /// Two fields of `type` would be read from the same key or column.
        case sameName(type: String, name: String, fields: [String])

        public var description: String {
            switch self {
            case .unknownType(let type): "the schema has no object type '\(type)'"
            case .unknownField(let type, let field): "\(type) has no field '\(field)'"
            case .emptyName(let type, let field): "\(type).\(field): the name in the sources is empty"
            case .sameName(let type, let name, let fields): "\(type): '\(name)' would name both \(fields.joined(separator: " and "))"
            }
        }
    }

    /// Reads every record of `bytes` as records of the object type `type` and adds them to `state`
    /// (whose cycle must be under way). `file` names the source in errors. `progress` is called
    /// now and then with the number of bytes read so far. Returns the number of records read.
    @discardableResult
    public mutating func importRecords(from bytes: UnsafeRawBufferPointer, format: SourceFormat, type: String, file: String,
                                       into state: WriteState, progress: ((Int) -> Void)? = nil) throws(ImportError) -> Int {
        try importRecords(from: bytes, source: nil, format: format, type: type, file: file, into: state, progress: progress)
    }

    /// Reads every record of `source` as `importRecords(from:format:type:file:into:progress:)`
    /// does (errors name `file`, by default `source.path`), giving back to the system, as the rows
    /// of a CSV or TSV file are read, the pages of the file's copy that the readers have passed:
    /// the copy does not add to the write state's memory at the end of the import.
    ///
    /// A CSV or TSV file is imported once: a second import of the same `SourceFile`, whose pages
    /// are gone, is refused (`ImportError.Problem.sourceAlreadyImported`); read the file again.
    @discardableResult
    public mutating func importRecords(from source: SourceFile, format: SourceFormat, type: String, file: String? = nil,
                                       into state: WriteState, progress: ((Int) -> Void)? = nil) throws(ImportError) -> Int {
        let givingBack = format != .jsonLines
        guard source.mayImport(givingBack: givingBack) else {
            throw ImportError(file: file ?? source.path, line: 0, column: 0, problem: .sourceAlreadyImported)
        }
        return try importRecords(from: source.bytes, source: givingBack ? source : nil, format: format, type: type,
                                 file: file ?? source.path, into: state, progress: progress)
    }

    private mutating func importRecords(from bytes: UnsafeRawBufferPointer, source: SourceFile?, format: SourceFormat, type: String,
                                        file: String, into state: WriteState, progress: ((Int) -> Void)?) throws(ImportError) -> Int {
        guard let position = shape.position(of: type), let object = shape.object(at: position) else {
            throw ImportError(file: file, line: 0, column: 0, problem: .unknownType(type))
        }
        files.append(file)
        // About a record a line, each encoded in about its bytes of text: room made at once, for
        // every source of the type read in this cycle (the write state's hint is a total). An
        // eighth more: a cell's length prefix may take two bytes where the text has one separator
        // (PyPI's TSV encodes to 1% more than its size, and the arena then doubled and copied
        // itself at the end of the import); room not written to is not resident.
        var size = sourceSizes[type] ?? (0, 0)
        size = (size.lines + Self.lineCount(bytes), size.bytes + bytes.count)
        sourceSizes[type] = size
        try? state.reserveCapacity(records: size.lines, bytes: size.bytes + size.bytes / 8, for: type)
        let context = ImportContext(shape: shape, state: state, file: file, fileIndex: files.count - 1, files: files)
        // The importer's own tracker (a value: a copy of the importer keeps its own keys), shared
        // by the parts of this file while it is read.
        let tracker = (trackers[position] ?? object.ownKeyFields.map { PrimaryKeyTracker(fieldPositions: $0) }).map(SharedKeyTracker.init)
        defer { if let tracker { trackers[position] = tracker.current } }
        tracker?.reserve(keys: size.lines)
        let count = try Self.read(bytes, format: format, position: position, context: context, tracker: tracker,
                                  minimumPartBytes: minimumPartBytes, givingBack: source, progress: progress)
        recordCounts[type, default: 0] += count
        return count
    }
}

extension RecordImporter {
    /// Line feeds in `bytes`, plus one for a last line without one.
    static func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard var position = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let end = position + bytes.count
        var count = 0
        while position < end, let found = memchr(position, 0x0A, end - position) {
            count += 1
            position = UnsafeRawPointer(found) + 1
        }
        return bytes.last == 0x0A ? count : count + 1
    }
}

/// Top-level records a reader has read and checked but not yet added: added a batch at a time
/// (`ImportContext.flush`), so that readers on two cores do not wait on each other's every add.
struct TopLevelBatch {
    /// Rows a batch. PyPI's TSV read by two parts, paired runs: 256 took 0.89 of the wall time of
    /// 64 (fewer waits on the write state's lock, which go through the kernel), 1,024 0.91 of 256,
    /// 4,096 1.10 of 1,024 (a part waits longer for the other's batch).
    static let size = 1024
    /// The records ended so far, and the one being read (set cell by cell).
    var records: ObjectRecordBatch
    var places: [(line: Int, column: Int)] = []
    /// The ordinals of the last batch added (reused).
    var ordinals: [Int] = []
    /// The bytes of the key being noted (reused).
    var keyBytes: [UInt8] = []

    init(_ schema: ObjectSchema) {
        records = ObjectRecordBatch(schema)
    }

    mutating func removeAll() {
        records.removeAll()
        places.removeAll(keepingCapacity: true)
        ordinals.removeAll(keepingCapacity: true)
    }
}

/// What the readers share: the schema's shape, the write state, and where they are. A class, so
/// that handing it to the closure that reads a cell costs one reference count, not one per part.
final class ImportContext: Sendable {
    let shape: ImportShape
    let state: WriteState
    let file: String
    let fileIndex: Int
    let files: [String]
    /// The earliest key conflict found by the earlier of its two lines (its error is the later
    /// line's, which a later part has read past), and the first part that failed: parts after it
    /// stop early.
    private let deferredConflict = Mutex<ImportError?>(nil)
    private let failedPart = Mutex(Int.max)

    init(shape: ImportShape, state: WriteState, file: String, fileIndex: Int, files: [String]) {
        self.shape = shape
        self.state = state
        self.file = file
        self.fileIndex = fileIndex
        self.files = files
    }

    func error(_ problem: ImportError.Problem, line: Int, column: Int) -> ImportError {
        ImportError(file: file, line: line, column: column, problem: problem)
    }

    /// Adds an object record whose fields are set, checking that every field that is not nullable
    /// has a value. `line` and `column` point at where the record starts.
    func add(_ record: ObjectRecord, line: Int, column: Int) throws(ImportError) -> Int {
        try checkFields(record, line: line, column: column)
        do {
            return try state.add(record)
        } catch {
            throw self.error(.refused(error), line: line, column: column)
        }
    }

    /// Adds a record read from a whole line, checking its primary key.
    /// `keyBytes` is scratch space the reader reuses for the key.
    func addTopLevel(_ record: ObjectRecord, tracker: SharedKeyTracker?, line: Int, column: Int, keyBytes: inout [UInt8]) throws(ImportError) -> Int {
        try checkKeyFields(record, tracker: tracker, line: line, column: column)
        let ordinal = try add(record, line: line, column: column)
        try noteKey(record, ordinal: ordinal, tracker: tracker, line: line, bytes: &keyBytes)
        return ordinal
    }

    /// Ends the record read from a whole line into `batch` (its cells set), after the checks
    /// `addTopLevel` makes before adding; adds the batch once it is full (`flush`). A problem of
    /// this line is thrown after the batch is added, so that a problem of an earlier line comes first.
    func endTopLevel(tracker: SharedKeyTracker?, line: Int, column: Int, batch: inout TopLevelBatch) throws(ImportError) {
        do throws(ImportError) {
            if let positions = tracker?.fieldPositions {
                for position in positions where !batch.records.hasValue(position) {
                    let schema = batch.records.schema
                    throw error(.missingPrimaryKey(type: schema.name, field: schema.fields[position].name), line: line, column: column)
                }
            }
            if let position = batch.records.firstMissingField {
                let schema = batch.records.schema
                throw error(.missingField(type: schema.name, field: schema.fields[position].name), line: line, column: column)
            }
            do { try batch.records.endRecord() } catch { throw self.error(.refused(error), line: line, column: column) }
        } catch {
            batch.records.discardRecord()
            try flush(&batch, tracker: tracker)
            throw error
        }
        batch.places.append((line, column))
        if batch.records.count >= TopLevelBatch.size { try flush(&batch, tracker: tracker) }
    }

    /// Adds the records of `batch` in order under one lock of the write state, then notes their
    /// keys in order, and empties it. Errors come as reading line by line would meet them: a key
    /// conflict of a record added before a refused one, then the refusal.
    func flush(_ batch: inout TopLevelBatch, tracker: SharedKeyTracker?) throws(ImportError) {
        guard !batch.records.isEmpty else { return }
        defer { batch.removeAll() }
        var refusal: WriteError?
        do { try state.add(batch.records, ordinals: &batch.ordinals) } catch { refusal = error }
        if let tracker {
            // The keys noted in order, each under its shard's lock, up to the first conflict that
            // is an error; conflicts that a later part read first are reported after it (see
            // `noteKey`).
            var conflicts: [(index: Int, other: (file: Int, line: Int))] = []
            for index in batch.ordinals.indices {
                let line = batch.places[index].line
                batch.keyBytes.removeAll(keepingCapacity: true)
                batch.records.appendKeyBytes(ofRecord: index, fields: tracker.fieldPositions, to: &batch.keyBytes)
                guard let other = tracker.note(batch.keyBytes, ordinal: batch.ordinals[index], file: fileIndex, line: line,
                                               keyOfRecord: keyOfRecord(type: batch.records.schema.name, fields: tracker.fieldPositions))
                else { continue }
                conflicts.append((index, other))
                if !(other.file == fileIndex && other.line > line) { break }
            }
            for (index, other) in conflicts {
                try reportConflict(batch.records.record(at: index), other: other, tracker: tracker, line: batch.places[index].line)
            }
        }
        if let refusal {
            let place = batch.places[batch.ordinals.count]
            throw error(.refused(refusal), line: place.line, column: place.column)
        }
    }

    private func checkFields(_ record: ObjectRecord, line: Int, column: Int) throws(ImportError) {
        for (field, value) in zip(record.schema.fields, record.values) where value == nil && !field.isNullable {
            throw error(.missingField(type: record.schema.name, field: field.name), line: line, column: column)
        }
    }

    private func checkKeyFields(_ record: ObjectRecord, tracker: SharedKeyTracker?, line: Int, column: Int) throws(ImportError) {
        if let positions = tracker?.fieldPositions {
            for position in positions where record.values[position] == nil {
                throw error(.missingPrimaryKey(type: record.schema.name, field: record.schema.fields[position].name), line: line, column: column)
            }
        }
    }

    /// Notes the key of `record`, added as `ordinal` from `line`; throws when another record had it.
    private func noteKey(_ record: ObjectRecord, ordinal: Int, tracker: SharedKeyTracker?, line: Int, bytes: inout [UInt8]) throws(ImportError) {
        guard let tracker else { return }
        bytes.removeAll(keepingCapacity: true)
        do { try record.appendKeyBytes(fields: tracker.fieldPositions, to: &bytes) } catch {
            throw self.error(.refused(error), line: line, column: 0)  // not met: the record was added
        }
        if let other = tracker.note(bytes, ordinal: ordinal, file: fileIndex, line: line,
                                    keyOfRecord: keyOfRecord(type: record.schema.name, fields: tracker.fieldPositions)) {
            try reportConflict(record, other: other, tracker: tracker, line: line)
        }
    }

    /// The key bytes of a record added before, read back from the write state (the tracker keeps
    /// only the keys' hashes).
    private func keyOfRecord(type: String, fields: [Int]) -> (Int) -> [UInt8]? {
        { [state] ordinal in state.keyBytes(ofRecord: ordinal, type: type, fields: fields) }
    }

    /// The key of `record`, read from `line`, was seen at `other` first: an error, or, when a later
    /// part of this file noted the later line first, a conflict kept to report after the parts.
    private func reportConflict(_ record: ObjectRecord, other: (file: Int, line: Int), tracker: SharedKeyTracker, line: Int) throws(ImportError) {
        let key = tracker.fieldPositions.map { "\(record.schema.fields[$0].name)=\(Self.describe(record.values[$0]!))" }.joined(separator: ", ")
        if other.file == fileIndex && other.line > line {
            // A later part noted the later line first: the error is that line's, this one is
            // the first place; reported if no problem comes before it.
            let conflict = ImportError(file: file, line: other.line, column: 0, problem: .duplicatePrimaryKey(
                type: record.schema.name, key: key, firstFile: file, firstLine: line))
            deferredConflict.withLock { earliest in
                if earliest.map({ conflict.line < $0.line }) ?? true { earliest = conflict }
            }
        } else {
            throw error(.duplicatePrimaryKey(type: record.schema.name, key: key, firstFile: files[other.file], firstLine: other.line),
                        line: line, column: 0)
        }
    }

    /// A key conflict whose error is a line read past (see `addTopLevel`), if any.
    var conflictReadPast: ImportError? { deferredConflict.withLock { $0 } }

    /// Notes that part `index` of the file failed.
    func partFailed(_ index: Int) { failedPart.withLock { $0 = Swift.min($0, index) } }

    /// Whether part `index` may stop: an earlier part failed, so its problem is reported.
    func shouldStop(part index: Int) -> Bool { failedPart.withLock { $0 < index } }

    /// Adds a list, set or map of ordinals.
    func addCollection(_ position: Int, keys: [Int], values: [Int]?, line: Int, column: Int) throws(ImportError) -> Int {
        let name = shape.types[position].name
        do {
            switch shape.types[position].kind {
            case .list: return try state.add(list: keys, to: name)
            case .set: return try state.add(set: keys, to: name)
            case .map: return try state.add(map: zip(keys, values ?? []).map { (key: $0, value: $1) }, to: name)
            case .object: preconditionFailure("an object type is not a collection")
            }
        } catch {
            throw self.error(.refused(error), line: line, column: column)
        }
    }

    /// A record of a one-field object type, from that field's value.
    func addShorthand(_ object: ImportShape.Object, _ value: FieldValue, line: Int, column: Int) throws(ImportError) -> Int {
        var record = ObjectRecord(object.schema)
        do { try record.set(fieldAt: 0, value) } catch { throw self.error(.refused(error), line: line, column: column) }
        return try add(record, line: line, column: column)
    }

    static func describe(_ value: FieldValue) -> String {
        switch value {
        case .int(let number): "\(number)"
        case .long(let number): "\(number)"
        case .float(let number): "\(number)"
        case .double(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        case .string(let text): "\"\(text)\""
        case .bytes(let bytes): "\(bytes.count) bytes"
        case .reference(let ordinal): "ordinal \(ordinal)"
        }
    }
}
