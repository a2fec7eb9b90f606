import Foundation

/// The blobs of a real dataset are made once and kept, as the catalog's are (`BlobCache`): in
/// `$TMPDIR/swift-hollow-bench/realdata-<dataset>-<mapping>-<hash>/`, the hash covering the sources
/// of HollowCore and of this fixture and the source file's path, size and modification time.
/// `HOLLOW_BENCH_CACHE` names another directory; `HOLLOW_BENCH_CACHE=off` turns the cache off.
public enum RealDataCache {
    /// The blobs from the cache, or made from `rows()` (the first and second cycle) and cached.
    public static func blobs<M: RealDataModel>(_ model: M.Type, mapping: Mapping, source: SourceFile,
                                               rows: () throws -> (first: [M.Row], second: [M.Row])) throws -> RealDataBlobs {
        let prefix = "realdata-\(M.dataset)-\(mapping)-"
        guard let directory = directory(prefix: prefix, source: source) else {
            let (first, second) = try rows()
            return try RealData.writeCycles(M.self, mapping: mapping, first, second)
        }
        if let cached = read(directory) { return cached }
        let (first, second) = try rows()
        let blobs = try RealData.writeCycles(M.self, mapping: mapping, first, second)
        prune(siblingsOf: directory, prefix: prefix)
        write(blobs, to: directory)
        return blobs
    }

    static func directory(prefix: String, source: SourceFile) -> URL? {
        let setting = getenv("HOLLOW_BENCH_CACHE").map { String(cString: $0) }
        if setting == "off" { return nil }
        let root = setting.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("swift-hollow-bench")
        guard var hash = sourceHash() else { return nil }
        for byte in "\(source.path)|\(source.byteCount)|\(source.modified)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return root.appendingPathComponent(prefix + String(hash, radix: 16))
    }

    private static func read(_ directory: URL) -> RealDataBlobs? {
        var parts: [[UInt8]] = []
        for name in RealDataBlobs.names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
            parts.append([UInt8](data))
        }
        return RealDataBlobs(snapshot1: parts[0], delta: parts[1], reverseDelta: parts[2], snapshot2: parts[3])
    }

    private static func write(_ blobs: RealDataBlobs, to directory: URL) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, blob) in zip(RealDataBlobs.names, blobs.all) {
                let temporary = directory.appendingPathComponent(name + ".tmp-\(getpid())")
                try Data(blob).write(to: temporary)
                _ = rename(temporary.path, directory.appendingPathComponent(name).path)
            }
        } catch {
            // A cache that cannot be written only costs time.
        }
    }

    /// Removes blobs of the same dataset and mapping made from other sources or another file.
    private static func prune(siblingsOf directory: URL, prefix: String) {
        let root = directory.deletingLastPathComponent()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry != directory.lastPathComponent {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(entry))
        }
    }

    /// FNV-1a over the paths and contents of the Swift files of HollowCore, CLZ4 and this fixture;
    /// nil when the sources are not where this file says they are.
    static func sourceHash() -> UInt64? {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = fixture.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        var found = false
        for directory in [root.appendingPathComponent("Sources/HollowCore"), root.appendingPathComponent("Sources/CLZ4"), fixture] {
            guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { continue }
            for file in enumerator.compactMap({ $0 as? String }).sorted() {
                guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else { continue }
                found = true
                mix(file.utf8)
                mix(data)
            }
        }
        return found ? hash : nil
    }
}
