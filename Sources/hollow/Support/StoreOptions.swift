import ArgumentParser
import Foundation
import Hollow
import HollowCore
import Logging

/// `--store DIR`: a directory holding `blobs/` and `announcements.jsonl`, the embedded default.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (blobs/ and announcements.jsonl).", valueName: "dir"))
    var store: String

    var blobsDirectory: String { (store as NSString).appendingPathComponent("blobs") }
    var logFile: String { (store as NSString).appendingPathComponent("announcements.jsonl") }
    /// The lease of the store's elected producers (`produce --lease`).
    var leaseFile: String { (store as NSString).appendingPathComponent("leader.lease") }

    /// The store of an existing directory, for a producer: the directory must exist and be writable.
    /// Once producers of the store have been elected (a lease file exists), its log is fenced by
    /// the lease: a producer without `--lease` cannot announce over the elected leader.
    func openForWriting() throws -> (FileSystemBlobStore, FileSystemAnnouncementLog) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory) else {
            throw ToolFailure(.noInput, "the store directory \(store) does not exist (create it with `mkdir -p \(store)`)")
        }
        guard isDirectory.boolValue else { throw ToolFailure(.noInput, "\(store) is not a directory") }
        guard access(store, W_OK) == 0 else { throw ToolFailure(.cannotCreate, "the store directory \(store) cannot be written") }
        do {
            let fence = FileManager.default.fileExists(atPath: leaseFile) ? try LeaseFile(path: leaseFile) : nil
            return (try FileSystemBlobStore(directory: blobsDirectory), try FileSystemAnnouncementLog(file: logFile, fencedBy: fence))
        } catch {
            throw ToolFailure(.cannotCreate, "opening the store \(store): \(error)")
        }
    }

    /// The store of a directory a producer wrote, for reading.
    func openForReading() throws -> (FileSystemBlobStore, FileSystemAnnouncementLog) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ToolFailure(.noInput, "the store directory \(store) does not exist")
        }
        guard FileManager.default.fileExists(atPath: logFile) else {
            throw ToolFailure(.noInput, "\(store) holds no announcement log (announcements.jsonl): run `hollow produce` first")
        }
        do {
            return (try FileSystemBlobStore(directory: blobsDirectory, create: false), try FileSystemAnnouncementLog(file: logFile))
        } catch {
            throw ToolFailure(.ioError, "opening the store \(store): \(error)")
        }
    }

    /// A consumer of the store with `indexes`, brought to `version` (the wanted one — pinned or
    /// latest — when nil).
    func loadState(version: UInt64?, indexes: [IndexDefinition] = []) async throws -> ConsumerState {
        let (blobs, log) = try openForReading()
        let consumer = Consumer(blobStore: blobs, announcementLog: log,
                                configuration: .init(name: "hollow-cli", indexes: indexes), logger: ToolLogging.logger("consumer"))
        do {
            if let version { try await consumer.refresh(to: version) } else { try await consumer.refresh() }
        } catch {
            throw ToolFailure.from(error)
        }
        guard let state = consumer.current else { throw ToolFailure(.unavailable, "nothing has been announced yet: run `hollow produce` first") }
        return state
    }
}

/// `--json`: output for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false
}

/// `--version VERSION`: an older state instead of the wanted one.
struct VersionOption: ParsableArguments {
    @Option(name: .customLong("version"), help: ArgumentHelp("Read this version instead of the latest (or pinned) one.", valueName: "version"))
    var version: UInt64?
}

/// Library logs go to standard error when `HOLLOW_LOG_LEVEL` (trace, debug, info, notice, warning,
/// error) asks for them: by default the tool reports what went wrong itself, once.
enum ToolLogging {
    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: "hollow.\(label)") { StreamLogHandler.standardError(label: $0) }
        let level = ProcessInfo.processInfo.environment["HOLLOW_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .critical
        return logger
    }
}
