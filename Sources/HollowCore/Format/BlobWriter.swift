/// Writes snapshot and delta blobs: the header, one section per type, all in one LZ4 frame.
enum BlobWriter {
    enum Section {
        case full(TypeData)
        case changed(TypeDataDelta)
        case removed
    }

    static func write(_ header: BlobHeader, sections: [(name: String, section: Section)]) -> [UInt8] {
        var writer = ByteWriter()
        header.write(to: &writer)
        writer.u32(UInt32(sections.count))
        for (name, section) in sections {
            writer.string16(name)
            switch section {
            case .full(let data):
                writer.u8(BlobLayout.SectionKind.full.rawValue)
                TypeSection.write(data, includePopulated: true, to: &writer)
            case .changed(let delta):
                writer.u8(BlobLayout.SectionKind.changed.rawValue)
                writer.u64(UInt64(delta.ordinalCount))
                writer.u64(UInt64(delta.removed.count))
                writer.u64(UInt64(delta.added.count))
                for ordinal in delta.removed { writer.u32(UInt32(ordinal)) }
                for ordinal in delta.added { writer.u32(UInt32(ordinal)) }
                TypeSection.write(delta.addedRecords, includePopulated: false, to: &writer)
            case .removed:
                writer.u8(BlobLayout.SectionKind.removed.rawValue)
            }
        }
        return writer.bytes.withUnsafeBytes { LZ4Frame.compress($0) }
    }
}
