import CatalogFixture
import Foundation

/// The blobs of a real dataset are made once and kept in the catalog's cache (`BlobCache`):
/// `realdata-<dataset>-<mapping>-<hash>/`, the hash covering the sources of HollowCore and of the
/// fixtures and the source file's path, size and modification time.
public enum RealDataCache {
    /// The blobs from the cache, or made from `rows()` (the first and second cycle) and cached.
    public static func blobs<M: RealDataModel>(_ model: M.Type, mapping: Mapping, source: SourceFile,
                                               rows: () throws -> (first: [M.Row], second: [M.Row])) throws -> RealDataBlobs {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return try BlobCache.blobs(named: "realdata-\(M.dataset)-\(mapping)-", key: "\(source.path)|\(source.byteCount)|\(source.modified)",
                                   sourceDirectories: [fixture]) {
            let (first, second) = try rows()
            return try RealData.writeCycles(M.self, mapping: mapping, first, second)
        }
    }
}
