import Foundation

/// The two real datasets, and where their source files are.
///
/// - `debian`: Debian's package index for one suite (`/var/lib/apt/lists/*_debian_dists_*_main_binary-*_Packages*`,
///   the largest match, LZ4-compressed or plain), or the file `HOLLOW_BENCH_DEBIAN` names.
/// - `pypi`: the PyPI project list `/work/.library/env/packages/pypi.tsv`, or the file `HOLLOW_BENCH_PYPI` names.
///
/// Either variable set to `off` skips that dataset. A dataset whose file is missing is skipped by the
/// benchmarks with a message that says which file and which variable.
public enum Dataset: String, CaseIterable, Sendable, CustomStringConvertible {
    case debian
    case pypi

    public var description: String { rawValue }

    /// What the benchmarks call it.
    public var title: String {
        switch self {
        case .debian: "Debian"
        case .pypi: "PyPI"
        }
    }

    public var environmentVariable: String {
        switch self {
        case .debian: "HOLLOW_BENCH_DEBIAN"
        case .pypi: "HOLLOW_BENCH_PYPI"
        }
    }

    static let debianPattern = "/var/lib/apt/lists/*_debian_dists_*_main_binary-*_Packages*"
    static let pypiDefault = "/work/.library/env/packages/pypi.tsv"

    /// The source file, or why there is none (a message to print).
    public func locate() -> Result<SourceFile, RealDataError> {
        if let setting = getenv(environmentVariable).map({ String(cString: $0) }), !setting.isEmpty {
            if setting == "off" {
                return .failure(RealDataError(file: environmentVariable, "set to off; the \(title) benchmarks are skipped"))
            }
            guard let file = SourceFile(path: setting) else {
                return .failure(RealDataError(file: setting, "no such file (named by \(environmentVariable)); the \(title) benchmarks are skipped"))
            }
            return .success(file)
        }
        switch self {
        case .pypi:
            guard let file = SourceFile(path: Dataset.pypiDefault) else {
                return .failure(RealDataError(file: Dataset.pypiDefault, "no such file; set \(environmentVariable) to the PyPI list (TSV); the PyPI benchmarks are skipped"))
            }
            return .success(file)
        case .debian:
            // The largest match: the suite's main index, not a small -updates or -security one.
            let candidates = Glob.paths(Dataset.debianPattern)
                .filter { $0.hasSuffix("_Packages") || $0.hasSuffix("_Packages.lz4") }
                .compactMap(SourceFile.init(path:))
            guard let file = candidates.max(by: { $0.byteCount < $1.byteCount }) else {
                return .failure(RealDataError(file: Dataset.debianPattern, "no Debian package index (plain or .lz4) matches; set \(environmentVariable) to one; the Debian benchmarks are skipped"))
            }
            return .success(file)
        }
    }
}

/// A source file as found on disk: its path, size and modification time (which key the blob cache).
public struct SourceFile: Sendable, Hashable {
    public let path: String
    /// Bytes on disk (compressed, for an .lz4 file).
    public let byteCount: Int
    public let modified: Int

    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.path = path
        byteCount = Int(info.st_size)
        modified = Int(info.st_mtim.tv_sec)
    }

    public var isLZ4: Bool { path.hasSuffix(".lz4") }

    /// The file's content, decompressed when it is an LZ4 frame (by `lz4cat`: HollowCore's LZ4 frame
    /// reader is internal to it).
    public func contents() throws -> [UInt8] {
        if isLZ4 { return try decompress() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RealDataError(file: path, "cannot be read")
        }
        return [UInt8](data)
    }

    private func decompress() throws -> [UInt8] {
        let tool = ["/usr/bin/lz4cat", "/usr/local/bin/lz4cat", "/bin/lz4cat"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else {
            throw RealDataError(file: path, "is LZ4-compressed and no lz4cat was found (apt-get install -y lz4)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw RealDataError(file: path, "cannot run \(tool): \(error)")
        }
        // Read to the end before waiting, or a full pipe would block lz4cat forever.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw RealDataError(file: path, "\(tool) failed (status \(process.terminationStatus)): \(text)")
        }
        return [UInt8](data)
    }
}

enum Glob {
    static func paths(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }
}
