/// Writes and reads the storage of one type (`TypeData`) in a blob: the column widths, the pool
/// shapes, then the raw little-endian words of the populated bits, the records and each pool, so that
/// loading is decompressing into the final buffers.
enum TypeSection {
    /// Writes `data` in the current format (`version`: an older one, for tests of old blobs;
    /// before version 3, pools cannot be coded).
    ///
    /// `afterFirstShard`: a state image's later shard of a type, whose coding tables and
    /// dictionaries are the first shard's: they are named, not written again.
    static func write(_ data: TypeData, plan: TypePlan, includePopulated: Bool, to writer: inout ByteWriter,
                      version: UInt16 = BlobLayout.formatVersion, afterFirstShard: Bool = false) {
        writer.u64(UInt64(data.ordinalCount))
        writer.u8(UInt8(data.widths.count))
        for width in data.widths { writer.u8(UInt8(width)) }
        writer.u8(UInt8(data.pools.count))
        for (index, pool) in data.pools.enumerated() {
            writer.u8(UInt8(pool.unitBits))
            writer.u64(UInt64(pool.count))
            guard plan.pools[index].content == .bytes else { continue }
            guard version >= BlobLayout.codedPoolsVersion else {
                precondition(pool.symbols == nil, "version \(version) has no coded pools")
                continue
            }
            if afterFirstShard && pool.dictionary != nil {
                writer.u8(BlobLayout.PoolCoding.firstShardDictionary.rawValue)
            } else if afterFirstShard && pool.symbols != nil {
                writer.u8(BlobLayout.PoolCoding.originSymbols.rawValue)
            } else if let dictionary = pool.dictionary, includePopulated {
                precondition(version >= BlobLayout.dictionaryVersion, "version \(version) has no dictionaries")
                writer.u8(BlobLayout.PoolCoding.dictionary.rawValue)
                write(dictionary, plan: .dictionary, includePopulated: true, to: &writer, version: version)
            } else if let change = pool.dictionaryChange, !includePopulated {
                precondition(version >= BlobLayout.dictionaryVersion, "version \(version) has no dictionaries")
                writer.u8(BlobLayout.PoolCoding.dictionaryChange.rawValue)
                BlobWriter.writeChanges(change, plan: .dictionary, to: &writer, version: version)
            } else if let symbols = pool.symbols {
                precondition(!pool.isDictionaryCoded, "a dictionary in a section of the wrong kind")
                if includePopulated {
                    writer.u8(BlobLayout.PoolCoding.symbols.rawValue)
                    symbols.write(to: &writer)
                } else {
                    writer.u8(BlobLayout.PoolCoding.originSymbols.rawValue)
                }
            } else {
                precondition(!pool.isDictionaryCoded, "a dictionary-coded pool without its dictionary or change")
                writer.u8(BlobLayout.PoolCoding.plain.rawValue)
            }
        }
        if includePopulated {
            writer.storage(data.populated)
            // An image carries the count, so that opening one need not read every populated bit.
            if writer.alignsStorage { writer.u64(UInt64(data.populatedCount)) }
        }
        writer.storage(data.fixed)
        for pool in data.pools { writer.storage(pool.storage) }
    }

    /// Reads a type's storage and checks its shape against the plan: column and pool counts, widths
    /// within the plan's maximum (64 bits, less for bools, ints and floats), sizes that fit in what the blob still holds. Values are checked by
    /// `TypeData.validate`.
    ///
    /// Without populated bits (the records a delta adds, packed), every slot holds a record and
    /// their number must be `recordCount`: it is checked before anything is allocated for them.
    ///
    /// A dictionary's own storage (`isDictionary`) may not be coded by a dictionary in turn.
    /// What a type section declares before its storage: the ordinal count, the column widths and
    /// each pool's shape, checked against the plan (see `read`).
    struct Shape {
        var ordinalCount: Int
        var widths: [Int]
        var pools: [(unit: Int, count: Int, symbols: SymbolTable?, borrows: Bool, dictionary: TypeData?, change: TypeDataDelta?)]
    }

    static func readShape(from reader: ByteReader, plan: TypePlan, includePopulated: Bool, recordCount: Int?,
                                  type: String, version: UInt16, isDictionary: Bool, firstShard: TypeData? = nil) throws(BlobError) -> Shape {
        let ordinalCount = try reader.count("\(type): ordinal count", limit: TypeData.maximumOrdinalCount)
        if !includePopulated {
            guard ordinalCount == recordCount else {
                throw .corrupt("\(type): \(ordinalCount) added records for \(recordCount ?? 0) added ordinals")
            }
        }
        let columnCount = Int(try reader.u8())
        guard columnCount == plan.columns.count else {
            throw .corrupt("\(type): \(columnCount) columns, the schema gives \(plan.columns.count)")
        }
        var widths: [Int] = []
        for column in plan.columns.indices {
            let width = Int(try reader.u8())
            guard width <= plan.maximumWidths[column] else {
                throw .corrupt("\(type): column \(column) is \(width) bits wide, at most \(plan.maximumWidths[column]) allowed")
            }
            // The writer gives a null flag its one bit always, and readers read that bit: a flag of
            // no bits would read the next column's lowest bit as the flag.
            guard plan.columns[column] != .nullFlag || width == 1 else {
                throw .corrupt("\(type): column \(column), a null flag, is \(width) bits wide, not 1")
            }
            widths.append(width)
        }
        let poolCount = Int(try reader.u8())
        guard poolCount == plan.pools.count else {
            throw .corrupt("\(type): \(poolCount) pools, the schema gives \(plan.pools.count)")
        }
        var shapes: [(unit: Int, count: Int, symbols: SymbolTable?, borrows: Bool, dictionary: TypeData?, change: TypeDataDelta?)] = []
        for (index, pool) in plan.pools.enumerated() {
            let unit = Int(try reader.u8())
            let valid = pool.content == .bytes ? unit == 8 : unit <= 64
            guard valid else { throw .corrupt("\(type): pool \(index) has \(unit)-bit elements") }
            // Elements of `unit` bits cannot outnumber the bits the blob has left; zero-bit elements
            // (every element ordinal 0) take no room, and only the writer's limit bounds them.
            let limit = unit == 0 ? TypeData.maximumPoolElementCount
                : Swift.min(TypeData.maximumPoolElementCount, reader.content.remaining * 8 / unit)
            let count = try reader.count("\(type): pool \(index) size", limit: limit)
            var (symbols, borrows): (SymbolTable?, Bool) = (nil, false)
            var (dictionary, change): (TypeData?, TypeDataDelta?) = (nil, nil)
            if pool.content == .bytes && version >= BlobLayout.codedPoolsVersion {
                let raw = try reader.u8()
                let dictionaries = version >= BlobLayout.dictionaryVersion && !isDictionary && !plan.isCollection
                let what = "\(type): pool \(index)'s dictionary"
                switch BlobLayout.PoolCoding(rawValue: raw) {
                case .plain: break
                case .symbols where includePopulated: symbols = try SymbolTable.read(from: reader, "\(type): pool \(index)")
                case .originSymbols where !includePopulated: borrows = true
                case .originSymbols where firstShard?.pools[index].symbols != nil: symbols = firstShard!.pools[index].symbols
                case .firstShardDictionary where firstShard?.pools[index].dictionary != nil && count == 0:
                    dictionary = firstShard!.pools[index].dictionary
                case .dictionary where includePopulated && dictionaries && count == 0:
                    dictionary = try read(from: reader, plan: .dictionary, includePopulated: true, type: what, version: version, isDictionary: true)
                case .dictionaryChange where !includePopulated && dictionaries && count == 0:
                    change = try BlobReader.readSharedChanges(from: reader, plan: .dictionary, type: what, version: version, isDictionary: true)
                default: throw .corrupt("\(type): pool \(index) coded as \(raw)\(includePopulated ? "" : " in a delta's records")")
                }
            }
            shapes.append((unit, count, symbols, borrows, dictionary, change))
            // Pools indexed by the same end column (a map's keys and values) run in step.
            if let first = plan.pools.firstIndex(where: { $0.endColumn == pool.endColumn }), first < index,
               shapes[first].count != count {
                throw .corrupt("\(type): pool \(index) holds \(count) elements, pool \(first) beside it \(shapes[first].count)")
            }
        }
        return Shape(ordinalCount: ordinalCount, widths: widths, pools: shapes)
    }

    ///
    /// `firstShard`: a state image's later shard of a type, which may name the first shard's
    /// coding tables and dictionaries instead of carrying them.
    static func read(from reader: ByteReader, plan: TypePlan, includePopulated: Bool, recordCount: Int? = nil,
                     type: String, version: UInt16, isDictionary: Bool = false, firstShard: TypeData? = nil) throws(BlobError) -> TypeData {
        let shape = try readShape(from: reader, plan: plan, includePopulated: includePopulated, recordCount: recordCount,
                                  type: type, version: version, isDictionary: isDictionary, firstShard: firstShard)
        let (ordinalCount, widths, shapes) = (shape.ordinalCount, shape.widths, shape.pools)
        let recordBits = widths.reduce(0, +)
        let (fixedBits, overflow) = ordinalCount.multipliedReportingOverflow(by: recordBits)
        guard !overflow else { throw .corrupt("\(type): \(ordinalCount) records of \(recordBits) bits overflow") }
        var data = TypeData(shapeOnlyOrdinalCount: ordinalCount, widths: widths)
        var imageCount: Int?
        if includePopulated {
            data.populated = try reader.storage(bitCount: ordinalCount, "\(type): populated bits")
            if reader.alignsStorage { imageCount = try reader.count("\(type): populated count", limit: ordinalCount) }
        } else {
            data.populated = BitStorage(bitCount: ordinalCount)
            data.populated.handle.fill(bitCount: ordinalCount)
        }
        data.fixed = try reader.storage(bitCount: fixedBits, "\(type): records")
        for (index, shape) in shapes.enumerated() {
            let (bits, overflow) = shape.count.multipliedReportingOverflow(by: shape.unit)
            guard !overflow else { throw .corrupt("\(type): pool \(index) overflows") }
            let storage = try reader.storage(bitCount: bits, "\(type): pool \(index)")
            var pool = TypeData.Pool(unitBits: shape.unit, count: shape.count, storage: storage, symbols: shape.symbols)
            pool.borrowsSymbols = shape.borrows
            pool.dictionary = shape.dictionary
            pool.dictionaryChange = shape.change
            data.pools.append(pool)
        }
        if let imageCount, !reader.checksValues {
            data.populatedCount = imageCount
        } else {
            data.recountPopulated()
            if let imageCount, imageCount != data.populatedCount {
                throw .corrupt("\(type): \(imageCount) records counted, \(data.populatedCount) populated")
            }
        }
        return data
    }
}
