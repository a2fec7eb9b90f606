#if !FUZZING
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Without libFuzzer (a plain `swift build`), HollowFuzz replays inputs through the same targets
/// as the fuzzer, and writes the blob target's seed corpus:
///
///     HollowFuzz [--target NAME] FILE_OR_DIR...     replay inputs (a crash reproduces as a crash)
///     HollowFuzz --write-corpus DIR                 write the blob seeds into DIR
///     HollowFuzz --write-image-corpus DIR           write the image seeds into DIR
///
/// The target is `--target`, else `HOLLOW_FUZZ_TARGET`, else `blob`.
@main
enum Replay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty || arguments.contains("-h") || arguments.contains("--help") {
            print("""
                usage: HollowFuzz [--target NAME] FILE_OR_DIR...   replay fuzzer inputs through a target
                       HollowFuzz --write-corpus DIR               write the blob seed corpus (docs/FUZZING.md)
                       HollowFuzz --write-image-corpus DIR         write the image seed corpus
                targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")) (default: $\(FuzzTarget.variable), else blob)
                """)
            exit(arguments.isEmpty ? 2 : 0)
        }
        if arguments.first == "--write-corpus" || arguments.first == "--write-image-corpus" {
            guard arguments.count == 2 else {
                print("\(arguments[0]) takes one directory")
                exit(2)
            }
            do {
                let written = arguments[0] == "--write-corpus"
                    ? try CorpusGenerator.write(to: arguments[1]) : try CorpusGenerator.writeImages(to: arguments[1])
                print("wrote \(written.count) inputs, \(written.reduce(0) { $0 + $1.bytes }) bytes, to \(arguments[1])")
            } catch {
                print("error: \(error)")
                exit(1)
            }
            return
        }
        var target = FuzzTarget.selected
        if arguments.first == "--target" {
            guard arguments.count >= 2, let named = FuzzTarget(rawValue: arguments[1]) else {
                print("--target takes one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
                exit(2)
            }
            target = named
            arguments.removeFirst(2)
        }
        var files: [String] = []
        for argument in arguments {
            guard let listed = FileIO.list(argument) else {
                print("error: cannot read \(argument)")
                exit(1)
            }
            files += listed
        }
        for file in files {
            guard let bytes = FileIO.read(file) else {
                print("error: cannot read \(file)")
                exit(1)
            }
            let outcome = bytes.withUnsafeBytes { target.run($0) }
            print("\(file): \(outcome)")
        }
        print("replayed \(files.count) input\(files.count == 1 ? "" : "s") through the \(target.rawValue) target without a crash")
    }
}

/// The little file access the replay tool needs, with the C library (HollowCore does no I/O).
enum FileIO {
    /// The path itself for a file, the regular files inside (sorted, not recursive) for a directory.
    static func list(_ path: String) -> [String]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var entryInfo = stat()
            if stat(full, &entryInfo) == 0 && (entryInfo.st_mode & S_IFMT) == S_IFREG { names.append(full) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count { break }
        }
        return ferror(file) == 0 ? bytes : nil
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        return fclose(file) == 0 && written == bytes.count
    }

    static func makeDirectory(_ path: String) -> Bool {
        var info = stat()
        if stat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
        return mkdir(path, 0o755) == 0
    }
}
#endif
