import ArgumentParser
import Foundation
import Hollow
import HollowCore
import HollowImport

/// A failure the tool reports in one line and an exit code (docs/CLI.md lists them).
struct ToolFailure: Error, CustomStringConvertible {
    enum Status: Int32 {
        case notFound = 1
        case usage = 64
        case dataError = 65
        case noInput = 66
        case unavailable = 69
        case software = 70
        case cannotCreate = 73
        case ioError = 74
    }

    let status: Status
    let message: String
    /// What to do about it, printed on a line of its own after the message.
    var next: String?

    init(_ status: Status, _ message: String, next: String? = nil) {
        self.status = status
        self.message = message
        self.next = next
    }

    var description: String { message }

    /// A failure for an error thrown by the library, with the step that gets past it.
    static func from(_ error: any Error) -> ToolFailure {
        switch error {
        case let failure as ToolFailure: return failure
        case let error as ImportError:
            return ToolFailure(.dataError, error.description, next: "fix the source at the place named (nothing was announced), then run again")
        case let error as SchemaError:
            return ToolFailure(.dataError, "schema: \(error)", next: "fix the schema file (docs/SCHEMA.md), then run again")
        case let error as WriteError:
            return ToolFailure(.dataError, error.description, next: "fix the records named in the sources (nothing was announced), then run again")
        case let error as ProducerError: return from(producer: error)
        case let error as RefreshError: return from(refresh: error)
        case let error as AnnouncementLogError: return from(log: error)
        case let error as BlobStoreError:
            return ToolFailure(.ioError, "blob store: \(error)", next: blobStoreNext)
        default:
            return ToolFailure(.software, "\(error)", next: "this is unexpected: run again with HOLLOW_LOG_LEVEL=debug and report the output")
        }
    }

    static let blobStoreNext = "check that the store's blobs/ directory is mounted, readable and writable by this user, and has free space, then run again"

    private static func from(producer error: ProducerError) -> ToolFailure {
        switch error {
        case .populateFailed(let inner): return from(inner)
        case .write(let inner): return from(inner)
        case .validationFailed(let validator, _):
            let next = validator == EmptiedTypeValidator(allowing: []).name
                ? "if the type is meant to have no records now, run again with --allow-empty TYPE; otherwise check the sources (one may be empty or left out)"
                : "check the sources against what the validator wants (--min-records, --max-change), then run again"
            return ToolFailure(.dataError, "\(error); nothing announced", next: next)
        case .logLost:
            return ToolFailure(.dataError, "\(error)", next: "put the log back (announcements.jsonl from a backup), or run again with --new-dataset to start over on purpose")
        case .restoreFailed(let inner):
            let mapped = from(refresh: inner)
            return ToolFailure(mapped.status, "\(error)", next: mapped.next)
        case .announcementLog(let inner):
            let mapped = from(log: inner)
            return ToolFailure(mapped.status, "\(error)", next: mapped.next)
        case .blobStore: return ToolFailure(.ioError, "\(error); nothing announced", next: blobStoreNext)
        case .notLeader:
            return ToolFailure(.unavailable, "\(error)", next: "another producer holds the lease: run with --every to stand by and take over when it stops")
        case .leadershipLost(let term, let current):
            // Term 0 is a producer without an election, which only loses to a log fenced by a lease.
            if term == 0 {
                let holder = current.map { "term \($0) leads" } ?? "its lease is free now"
                return ToolFailure(.unavailable, "this producer has no lease, but the store's producers are elected (\(holder)); nothing was announced",
                                   next: "run it with --lease like the others, so that it stands by while another leads")
            }
            return ToolFailure(.unavailable, "\(error)", next: "another producer took over: run with --every to stand by and take over again when it stops")
        case .leaderElection:
            return ToolFailure(.unavailable, "\(error)", next: "check that the lease file's directory (or etcd, with --etcd) is reachable and writable, then run again")
        case .anotherProducerAnnounced:
            return ToolFailure(.unavailable, "\(error)", next: "stop the other producer, or run both with --lease")
        case .integrityCheckFailed:
            return ToolFailure(.software, "\(error)", next: "nothing was announced; this is a bug: run again with HOLLOW_LOG_LEVEL=debug and report it with the sources")
        case .incremental:
            return ToolFailure(.software, "\(error)", next: "run a full cycle (hollow produce with every source)")
        }
    }

    private static func from(refresh error: RefreshError) -> ToolFailure {
        switch error {
        case .nothingAnnounced: return ToolFailure(.unavailable, "\(error)", next: "run `hollow produce` first")
        case .versionNotAnnounced: return ToolFailure(.noInput, "\(error)", next: "`hollow history` lists the announced versions")
        case .announcementLog(let inner):
            let mapped = from(log: inner)
            return ToolFailure(mapped.status, "\(error)", next: mapped.next)
        default:
            return ToolFailure(.unavailable, "\(error)",
                               next: "`hollow history` shows which versions can still be loaded; check that the blobs/ directory is complete and readable")
        }
    }

    private static func from(log error: AnnouncementLogError) -> ToolFailure {
        switch error {
        case .unknownVersion: ToolFailure(.noInput, "\(error)", next: "`hollow history` lists the announced versions")
        case .corrupt: ToolFailure(.dataError, "\(error)", next: "`hollow repair-log --store DIR` sets the damaged lines aside and keeps every good one (docs/CLI.md)")
        case .unavailable:
            ToolFailure(.unavailable, "\(error)", next: "check that the log is reachable (the store directory, or etcd with --etcd), then run again")
        case .fenced:
            ToolFailure(.unavailable, "\(error)", next: "another producer leads: run with --every to stand by and take over when it stops")
        case .io: ToolFailure(.ioError, "\(error)", next: "check the store directory's permissions and free space, then run again")
        case .versionNotIncreasing:
            ToolFailure(.ioError, "\(error)", next: "another producer announced at the same time: run all producers of a store with --lease")
        }
    }
}

/// Runs a command's body: a failure is printed as `hollow: error: ...` and exits with its status.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let failure = ToolFailure.from(error)
        Terminal.error("hollow: error: \(failure.message)")
        if let next = failure.next { Terminal.error("hollow: next: \(next)") }
        throw ExitCode(failure.status.rawValue)
    }
}
