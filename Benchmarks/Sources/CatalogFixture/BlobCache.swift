import Foundation

/// Producing the blobs of a million movies takes tens of seconds, and package-benchmark runs every
/// benchmark in a process of its own; so the blobs are made once and kept in a temporary directory,
/// keyed by what they are made from and by a hash of the sources that make them (HollowCore and
/// the fixtures), so that a change of the writer or of a generator never reuses stale blobs. The
/// catalog's blobs and the real datasets' (RealDataFixture) share this cache.
///
/// `HOLLOW_BENCH_CACHE` names another directory; `HOLLOW_BENCH_CACHE=off` turns the cache off.
public enum BlobCache {
    /// The blobs for `parameters`, from the cache or freshly written (and then cached).
    public static func blobs(for parameters: CatalogParameters) throws -> CatalogBlobs {
        try blobs(named: "\(parameters)-") { try make(parameters) }
    }

    /// The blobs kept under `prefix` (what they are made of, ending in `-`), from the cache or made
    /// by `make` and cached. `key` (a source file's path, size and time, say) and the sources in
    /// `sourceDirectories` join the hash that names the directory; older directories of the same
    /// prefix are removed.
    public static func blobs(named prefix: String, key: String = "", sourceDirectories: [URL] = [],
                             make: () throws -> CatalogBlobs) throws -> CatalogBlobs {
        guard let directory = directory(prefix: prefix, key: key, sourceDirectories: sourceDirectories) else { return try make() }
        if let cached = read(directory) { return cached }
        let blobs = try make()
        prune(siblingsOf: directory, prefix: prefix)
        write(blobs, to: directory)
        return blobs
    }

    static func make(_ parameters: CatalogParameters) throws -> CatalogBlobs {
        let first = Catalog(parameters)
        let (second, _) = first.nextCycle()
        return try HollowCatalog.writeCycles(first, second)
    }

    static func directory(prefix: String, key: String, sourceDirectories: [URL]) -> URL? {
        let setting = Environment.value("HOLLOW_BENCH_CACHE")
        if setting == "off" { return nil }
        let root = setting.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("swift-hollow-bench")
        guard var hash = sourceHash(adding: sourceDirectories) else { return nil }
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return root.appendingPathComponent(prefix + String(hash, radix: 16))
    }

    private static func read(_ directory: URL) -> CatalogBlobs? {
        var parts: [[UInt8]] = []
        for name in CatalogBlobs.names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
            parts.append([UInt8](data))
        }
        return CatalogBlobs(snapshot1: parts[0], delta: parts[1], reverseDelta: parts[2], snapshot2: parts[3])
    }

    private static func write(_ blobs: CatalogBlobs, to directory: URL) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, blob) in zip(CatalogBlobs.names, blobs.all) {
                let temporary = directory.appendingPathComponent(name + ".tmp-\(getpid())")
                try Data(blob).write(to: temporary)
                _ = rename(temporary.path, directory.appendingPathComponent(name).path)
            }
        } catch {
            // A cache that cannot be written only costs time.
        }
    }

    /// Removes the blobs of the same parameters made from other sources (they can never be used again).
    private static func prune(siblingsOf directory: URL, prefix: String) {
        let root = directory.deletingLastPathComponent()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry != directory.lastPathComponent {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(entry))
        }
    }

    /// FNV-1a over the paths and contents of the Swift files of HollowCore, CLZ4, this fixture and
    /// `more` directories; nil when the sources are not where this file says they are.
    static func sourceHash(adding more: [URL] = []) -> UInt64? {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = fixture.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        var found = false
        for directory in [root.appendingPathComponent("Sources/HollowCore"), root.appendingPathComponent("Sources/CLZ4"), fixture] + more {
            guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { continue }
            let files = enumerator.compactMap { $0 as? String }.sorted()
            for file in files {
                guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else { continue }
                found = true
                mix(file.utf8)
                mix(data)
            }
        }
        return found ? hash : nil
    }
}

enum Environment {
    static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
