import ArgumentParser
import Hollow

struct RepairLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair-log",
        abstract: "Set aside the damaged lines of the store's announcement log, keeping every good line.",
        discussion: """
            A damaged line (a disk error, an edit by hand) stops every reader of the log at it. This keeps \
            each line that reads where it stands and moves the others, byte for byte, to a file beside the \
            log (announcements.jsonl.damaged-TIME). Producers may keep running: appends wait for the repair. \
            An announcement set aside is a version consumers skip.
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        try await reportingFailures {
            guard storeOptions.etcd == nil else {
                throw ToolFailure(.usage, "repair-log repairs the log file of a store directory; an etcd log is written by transactions and has no damaged lines")
            }
            let logFile = try storeOptions.storeDirectory(for: "repair-log") + "/announcements.jsonl"
            let log = try FileSystemAnnouncementLog(file: logFile)
            let repair = try await log.repair()
            guard let aside = repair.damagedLinesFile else {
                Terminal.line("nothing to repair: the \(repair.keptLines) lines of \(logFile) are good")
                return
            }
            for line in repair.setAside { Terminal.line("line \(line.line) set aside: \(line.reason)") }
            Terminal.line("kept \(repair.keptLines) lines; the \(repair.setAside.count) set aside are in \(aside)")
        }
    }
}
