import ArgumentParser
import Foundation
import Hollow
import HollowCore
import HollowEtcd
import Logging

/// `--store DIR`: a directory holding `blobs/` and `announcements.jsonl`, the embedded default; with
/// `--etcd`, the announcement log (and the producers' election) is on etcd and the blobs stay in
/// `DIR/blobs` (a directory every host shares).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (blobs/ and announcements.jsonl).", valueName: "dir"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("""
        etcd endpoints, comma-separated (http://host:2379): the announcement log and the producers' \
        election on etcd instead of files; the blobs stay in the store directory.
        """, valueName: "urls"))
    var etcd: String?

    @Option(name: .long, help: ArgumentHelp("With --etcd: the dataset's key prefix.", valueName: "prefix"))
    var etcdPrefix = "/hollow/default"

    var blobsDirectory: String { (store as NSString).appendingPathComponent("blobs") }
    var logFile: String { (store as NSString).appendingPathComponent("announcements.jsonl") }
    /// The lease of the store's elected producers (`produce --lease`).
    var leaseFile: String { (store as NSString).appendingPathComponent("leader.lease") }

    /// The etcd of `--etcd` (nil without it).
    func etcdConnection() throws -> EtcdConnection? {
        guard let etcd else { return nil }
        let endpoints = etcd.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        do {
            return try EtcdConnection(configuration: .init(endpoints: endpoints), logger: ToolLogging.logger("etcd"))
        } catch {
            throw ToolFailure(.usage, "--etcd \(etcd): \(error)")
        }
    }

    /// The announcement log: on etcd (fenced by the election's leader key), or the store's file,
    /// fenced by the store's lease: once producers of the store have been elected, a producer
    /// without `--lease` (term 0) cannot announce.
    private func announcementLog() throws -> any AnnouncementLog {
        if let connection = try etcdConnection() {
            return EtcdAnnouncementLog(connection: connection, prefix: etcdPrefix, logger: ToolLogging.logger("etcd"))
        }
        do {
            return try FileSystemAnnouncementLog(file: logFile, fencedBy: try LeaseFile(path: leaseFile))
        } catch {
            throw ToolFailure(.cannotCreate, "opening the store \(store): \(error)")
        }
    }

    /// The store of an existing directory, for a producer: the directory must exist and be writable.
    func openForWriting() throws -> (FileSystemBlobStore, any AnnouncementLog) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory) else {
            throw ToolFailure(.noInput, "the store directory \(store) does not exist (create it with `mkdir -p \(store)`)")
        }
        guard isDirectory.boolValue else { throw ToolFailure(.noInput, "\(store) is not a directory") }
        guard access(store, W_OK) == 0 else { throw ToolFailure(.cannotCreate, "the store directory \(store) cannot be written") }
        let blobs: FileSystemBlobStore
        do { blobs = try FileSystemBlobStore(directory: blobsDirectory) } catch {
            throw ToolFailure(.cannotCreate, "opening the store \(store): \(error)")
        }
        return (blobs, try announcementLog())
    }

    /// The store of a directory a producer wrote, for reading.
    func openForReading() throws -> (FileSystemBlobStore, any AnnouncementLog) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ToolFailure(.noInput, "the store directory \(store) does not exist")
        }
        guard etcd != nil || FileManager.default.fileExists(atPath: logFile) else {
            throw ToolFailure(.noInput, "\(store) holds no announcement log (announcements.jsonl): run `hollow produce` first")
        }
        let blobs: FileSystemBlobStore
        do { blobs = try FileSystemBlobStore(directory: blobsDirectory, create: false) } catch {
            throw ToolFailure(.ioError, "opening the store \(store): \(error)")
        }
        return (blobs, try announcementLog())
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
