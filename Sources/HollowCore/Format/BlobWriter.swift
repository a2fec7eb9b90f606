/// Writes snapshot and delta blobs: the header, one section per type, all in one LZ4 frame.
enum BlobWriter {
    enum Section: Sendable {
        case full(TypeData)
        case changed(TypeDataDelta)
        case removed
    }

    static func write(_ header: BlobHeader, sections: [(name: String, section: Section)]) -> [UInt8] {
        var written: [BitStorage]?
        return write(header, sections: sections, recording: &written)
    }

    /// Writes the blob and, when `written` is not nil, appends to it every storage the blob
    /// holds, in the order they are written (what `WrittenStorages` compares a read-back with).
    static func write(_ header: BlobHeader, sections: [(name: String, section: Section)], recording written: inout [BitStorage]?) -> [UInt8] {
        // Version 3 only when a pool is coded: a state with plain strings stays readable by
        // version-2 consumers, so that upgrading a producer first breaks nobody until it codes.
        var header = header
        header.version = sections.contains { $0.section.hasDictionaries } ? BlobLayout.dictionaryVersion
            : sections.contains { $0.section.hasCodedPools } ? BlobLayout.codedPoolsVersion : BlobLayout.codedPoolsVersion - 1
        let plans = sections.map { header.schema[$0.name].map(TypePlan.init) }
        func content(to writer: inout ByteWriter) {
            header.write(to: &writer)
            writer.u32(UInt32(sections.count))
            for ((name, section), plan) in zip(sections, plans) {
                writer.string16(name)
                switch section {
                case .full(let data):
                    writer.u8(BlobLayout.SectionKind.full.rawValue)
                    TypeSection.write(data, plan: plan!, includePopulated: true, to: &writer, version: header.version)
                case .changed(let delta):
                    writer.u8(BlobLayout.SectionKind.changedSharing.rawValue)
                    writeChanges(delta, plan: plan!, to: &writer, version: header.version)
                case .removed:
                    writer.u8(BlobLayout.SectionKind.removed.rawValue)
                }
            }
            writer.flush()
        }
        // The content is written twice: once to count it (the frame's header holds its size),
        // once into the compressor. It is never held whole: large storages go to the compressor
        // as they lie, and the rest in pieces of about a megabyte.
        var counter = ByteWriter()
        counter.sink = { _ in true }
        content(to: &counter)
        let frame = LZ4FrameWriter(contentSize: counter.position, level: compressionLevel(contentBytes: counter.position))
        var writer = ByteWriter()
        writer.written = written
        writer.sink = { piece in
            frame.write(piece)
            return true
        }
        content(to: &writer)
        written = writer.written
        return frame.finish()
    }

    /// The body of a `changedSharing` section: varint counts and ordinal gaps, the added records,
    /// then per pool end column the runs added records take from removed ones.
    static func writeChanges(_ delta: TypeDataDelta, plan: TypePlan, to writer: inout ByteWriter, version: UInt16) {
        writer.varint(UInt64(delta.ordinalCount))
        for ordinals in [delta.removed, delta.added] {
            writer.varint(UInt64(ordinals.count))
            var next = 0
            for ordinal in ordinals {
                writer.varint(UInt64(ordinal - next))
                next = ordinal + 1
            }
        }
        TypeSection.write(delta.addedRecords, plan: plan, includePopulated: false, to: &writer, version: version)
        writer.varint(UInt64(delta.copies.count))
        for copies in delta.copies {
            writer.varint(UInt64(copies.count))
            var nextAdded = 0
            var previousRemoved = -1
            for copy in copies {
                writer.varint(UInt64(copy.added - nextAdded))
                writer.varint(ZigZag.encode(Int64(copy.removed - previousRemoved - 1)))
                nextAdded = copy.added + 1
                previousRemoved = copy.removed
            }
        }
    }

}

extension BlobWriter.Section {
    /// Whether a pool of this section is coded with a symbol table.
    var hasCodedPools: Bool {
        switch self {
        case .full(let data): data.pools.contains { $0.symbols != nil }
        case .changed(let delta): delta.addedRecords.pools.contains { $0.symbols != nil }
        case .removed: false
        }
    }

    /// Whether a pool of this section is coded by a dictionary (whose own pool may be coded).
    var hasDictionaries: Bool {
        switch self {
        case .full(let data): data.pools.contains { $0.dictionary != nil }
        case .changed(let delta): delta.addedRecords.pools.contains { $0.dictionaryChange != nil }
        case .removed: false
        }
    }
}

extension BlobWriter {
    /// Blobs of at most `highCompressionBytes` of content (a delta of a few percent, a small
    /// snapshot) are compressed by LZ4's high-compression mode, level 9: about 16 MB/s, so at most
    /// a quarter of a second, for blobs 15-25% smaller that decompress as fast. Larger ones (the
    /// snapshot of a large state) take the fast mode, about 300 MB/s, to keep the cycle short.
    static func compressionLevel(contentBytes: Int) -> Int32 {
        contentBytes <= highCompressionBytes ? 9 : 1
    }

    static let highCompressionBytes = 4 << 20
}
