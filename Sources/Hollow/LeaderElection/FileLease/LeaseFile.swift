import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file that says who leads and until when: the shared truth of `FileLeaderElection` and the
/// fence of `FileSystemAnnouncementLog`. One small JSON record, read and written only under
/// `flock`, so a campaign, a renewal and a fence check each see it whole and in one order.
///
/// The record is written in one `pwrite` of a fixed length at offset 0: it is never seen half
/// written while the process that writes it lives, and a term change is `fsync`ed before the new
/// leader acts on it, so terms never repeat across crashes. Expiry is wall-clock time (the hosts
/// sharing a volume must agree on the time within a small part of the lease).
public struct LeaseFile: Sendable, CustomStringConvertible {
    public let path: String

    /// What the file holds.
    public struct Record: Codable, Sendable, Equatable {
        /// The fencing token of the leader named here; it rises at every change of leader.
        public var term: UInt64
        /// The participant that holds (or last held) the lease.
        public var holder: String
        /// Milliseconds since 1970 after which the lease is void.
        public var expiresAtMilliseconds: Int64

        public func isValid(atMilliseconds now: Int64) -> Bool { now < expiresAtMilliseconds }
    }

    /// Fixed length of the record on disk: one write, never torn, and never shorter than a
    /// previous record (no stale tail to truncate).
    static let recordLength = 512

    /// The lease in `path`; the file is created by the first campaign. Its directory must exist.
    public init(path: String) throws(LeaderElectionError) {
        do { directory = try LocalDirectory(LocalDirectory.containing(path)) } catch {
            throw .unavailable("the lease file's directory \(LocalDirectory.containing(path)) does not exist")
        }
        self.path = path
    }

    private let directory: LocalDirectory

    public var description: String { path }

    /// Reads the record under a shared lock (nil when no producer has ever led).
    public func read() throws(LeaderElectionError) -> Record? {
        guard let file = try openFile(creating: false) else { return nil }
        do { try file.lock(.shared) } catch { throw .init(error) }
        defer { file.unlock() }
        return try decode(file)
    }

    /// Runs `body` with the record under an exclusive lock; a record `body` returns different from
    /// the one read is written (and `fsync`ed when `durable`) before the lock is released. Returns
    /// nil without waiting when another process holds the lock: it may be paused while holding it
    /// (SIGSTOP during an append), and a blocked thread could not be cancelled.
    public func update<Result>(durable: Bool, _ body: (Record?) throws(LeaderElectionError) -> (Record?, Result)) throws(LeaderElectionError) -> Result? {
        guard let file = try openFile(creating: true) else { throw .unavailable("cannot create the lease file \(path)") }
        do { guard try file.tryLock(.exclusive) else { return nil } } catch { throw .init(error) }
        defer { file.unlock() }
        let current = try decode(file)
        let (next, result) = try body(current)
        if let next, next != current {
            try write(next, to: file)
            // A term change flushes the directory too: the file's creation, if that flush failed
            // when the file was made, is durable before any term is acted on.
            if durable { do { try file.sync(); try directory.sync() } catch { throw .init(error) } }
        }
        return result
    }

    /// Runs `body` with the record held under a shared lock for the whole call, so that no campaign
    /// can change the leader in between: the fenced log checks the term and appends inside it. The
    /// lock is held by others for milliseconds; one held for over `patience` (by a process paused
    /// while holding it) is an error rather than a thread blocked for good.
    func whileHeld<Result>(patience: Duration = .seconds(2),
                           _ body: (Record?) throws(AnnouncementLogError) -> Result) throws(AnnouncementLogError) -> Result {
        let opened: LocalFile?
        do { opened = try openFile(creating: false) } catch { throw .unavailable(error.description) }
        guard let file = consume opened else { return try body(nil) }
        let record: Record?
        do throws(LeaderElectionError) {
            let deadline = ContinuousClock.now + patience
            while try !lockWithoutWaiting(file, .shared) {
                guard ContinuousClock.now < deadline else {
                    throw .unavailable("the lease file \(path) stayed locked for \(patience) (a producer paused while holding it?)")
                }
                usleep(1000)
            }
            record = try decode(file)
        } catch {
            throw .unavailable(error.description)
        }
        defer { file.unlock() }
        return try body(record)
    }

    // MARK: File I/O

    private func openFile(creating: Bool) throws(LeaderElectionError) -> LocalFile? {
        do {
            if let file = try LocalFile.open(path, creating ? .readWrite : .readOnly) { return file }
            guard creating else { return nil }
            let file = try LocalFile.open(path, .readWrite, options: [.create])
            // The new file's directory entry must survive a crash: terms must never restart.
            try directory.sync()
            return file
        } catch {
            throw .init(error)
        }
    }

    private func lockWithoutWaiting(_ file: borrowing LocalFile, _ kind: LocalFile.LockKind) throws(LeaderElectionError) -> Bool {
        do { return try file.tryLock(kind) } catch { throw .init(error) }
    }

    private func decode(_ file: borrowing LocalFile) throws(LeaderElectionError) -> Record? {
        let bytes: [UInt8]
        do { bytes = try file.read(from: 0, to: Self.recordLength + 1) } catch { throw .init(error) }
        let count = bytes.count
        if count == 0 { return nil }  // created by a campaign that has not written yet
        guard count == Self.recordLength else {
            throw .unavailable("the lease file \(path) is \(count) bytes, not \(Self.recordLength): not a lease file, or damaged")
        }
        // The record, without the padding after it (a participant id may hold spaces).
        var end = count
        while end > 0, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        let text = bytes[0..<end]
        do { return try JSONDecoder().decode(Record.self, from: Data(text)) } catch {
            throw .unavailable("the lease file \(path) does not hold a lease record: \(error)")
        }
    }

    private func write(_ record: Record, to file: borrowing LocalFile) throws(LeaderElectionError) {
        var bytes: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            bytes = Array(try encoder.encode(record))
        } catch {
            throw .unavailable("encoding the lease record: \(error)")
        }
        guard bytes.count < Self.recordLength else { throw .unavailable("the participant id is too long for the lease file") }
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: Self.recordLength - 1 - bytes.count) + [UInt8(ascii: "\n")]
        do { try file.write(bytes, at: 0) } catch { throw .init(error) }
    }

    /// Wall-clock milliseconds: the clock every host sharing the file reads.
    public static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
