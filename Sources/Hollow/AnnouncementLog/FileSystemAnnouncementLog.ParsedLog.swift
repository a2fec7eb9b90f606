import Foundation
import Synchronization
import SystemPackage

/// How far a log file has been read, and what its complete lines said.
struct ParsedLog: Sendable {
    var device: UInt64
    var inode: UInt64
    var history = AnnouncementHistory()
    var lineCount = 0
    /// Bytes of the file that make complete lines.
    var completeLength = 0
    /// The last bytes (up to 64) of the complete lines, to notice a file rewritten in place.
    var lastLineTail: [UInt8] = []
    /// Bytes of the file when it was last read (complete lines and a torn last line, if any).
    var fileLength = 0
}

/// The parse of the log's complete lines, kept between reads (shared by copies of the log value).
final class ParsedPrefix: Sendable {
    let state = Mutex<ParsedLog?>(nil)
}
