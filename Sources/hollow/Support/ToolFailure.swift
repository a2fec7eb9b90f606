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

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }

    /// A failure for an error thrown by the library.
    static func from(_ error: any Error) -> ToolFailure {
        switch error {
        case let failure as ToolFailure: return failure
        case let error as ImportError: return ToolFailure(.dataError, error.description)
        case let error as SchemaError: return ToolFailure(.dataError, "schema: \(error)")
        case let error as WriteError: return ToolFailure(.dataError, error.description)
        case let error as ProducerError: return from(producer: error)
        case let error as RefreshError: return from(refresh: error)
        case let error as AnnouncementLogError: return from(log: error)
        case let error as BlobStoreError: return ToolFailure(.ioError, "blob store: \(error)")
        default: return ToolFailure(.software, "\(error)")
        }
    }

    private static func from(producer error: ProducerError) -> ToolFailure {
        switch error {
        case .populateFailed(let inner): return from(inner)
        case .write(let inner): return ToolFailure(.dataError, inner.description)
        case .validationFailed: return ToolFailure(.dataError, "\(error); nothing announced")
        case .logLost: return ToolFailure(.dataError, "\(error)")
        case .restoreFailed(let inner): return ToolFailure(from(refresh: inner).status, "\(error)")
        case .announcementLog(let inner): return ToolFailure(from(log: inner).status, "\(error)")
        case .blobStore: return ToolFailure(.ioError, "\(error); nothing announced")
        case .notLeader, .leadershipLost, .leaderElection, .anotherProducerAnnounced: return ToolFailure(.unavailable, "\(error)")
        case .integrityCheckFailed, .incremental: return ToolFailure(.software, "\(error)")
        }
    }

    private static func from(refresh error: RefreshError) -> ToolFailure {
        switch error {
        case .nothingAnnounced: return ToolFailure(.unavailable, "\(error): run `hollow produce` first")
        case .versionNotAnnounced: return ToolFailure(.noInput, "\(error) (see `hollow history`)")
        case .announcementLog(let inner): return ToolFailure(from(log: inner).status, "\(error)")
        default: return ToolFailure(.unavailable, "\(error)")
        }
    }

    private static func from(log error: AnnouncementLogError) -> ToolFailure {
        switch error {
        case .unknownVersion: ToolFailure(.noInput, "\(error) (see `hollow history`)")
        case .corrupt: ToolFailure(.dataError, "\(error)")
        case .unavailable, .fenced: ToolFailure(.unavailable, "\(error)")
        case .io, .versionNotIncreasing: ToolFailure(.ioError, "\(error)")
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
        throw ExitCode(failure.status.rawValue)
    }
}
