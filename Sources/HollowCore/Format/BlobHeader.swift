/// The header every blob starts with: magic, format version, kind, origin and destination state
/// ids, and the destination state's schema in its text form.
struct BlobHeader: Sendable {
    var kind: BlobKind
    var origin: UInt64
    var destination: UInt64
    var schema: Schema
    /// The format version the blob was written in (the current one for blobs written).
    var version: UInt16 = BlobLayout.formatVersion

    func write(to writer: inout ByteWriter) {
        writer.bytes.append(contentsOf: BlobLayout.magic)
        writer.u16(version)
        writer.u8(kind.rawValue)
        writer.u8(0)
        writer.u64(origin)
        writer.u64(destination)
        let text = Array(schema.description.utf8)
        writer.u32(UInt32(text.count))
        writer.bytes.append(contentsOf: text)
    }

    static func read(from reader: ByteReader) throws(BlobError) -> BlobHeader {
        let magic = try reader.bytes(4, "magic")
        guard magic == BlobLayout.magic else { throw .unsupportedFormat("not a swift-hollow blob (magic \(magic))") }
        let version = try reader.u16()
        guard BlobLayout.readableVersions.contains(version) else {
            throw .unsupportedFormat("format version \(version), this build reads versions \(BlobLayout.readableVersions.lowerBound) to \(BlobLayout.readableVersions.upperBound)")
        }
        let rawKind = try reader.u8()
        guard let kind = BlobKind(rawValue: rawKind) else { throw .corrupt("unknown blob kind \(rawKind) at offset 6") }
        _ = try reader.u8()
        let origin = try reader.u64()
        let destination = try reader.u64()
        let length = Int(try reader.u32())
        guard length <= BlobLayout.maximumSchemaBytes else { throw .corrupt("schema of \(length) bytes at offset 24") }
        let bytes = try reader.bytes(length, "schema")
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .corrupt("the schema is not UTF-8") }
        let schema: Schema
        do { schema = try Schema(parsing: text) } catch { throw .schema(error) }
        return BlobHeader(kind: kind, origin: origin, destination: destination, schema: schema, version: version)
    }
}
