import Foundation
import Synchronization
import SystemPackage

/// How far a log file has been read, and what its complete lines said.
package struct ParsedLog: Sendable {
    var device: UInt64
    var inode: UInt64
    package var history = AnnouncementHistory()
    package var lineCount = 0
    /// Bytes of the file that make complete lines.
    package var completeLength = 0
    /// The last bytes (up to 64) of the complete lines, to notice a file rewritten in place.
    var lastLineTail: [UInt8] = []
    /// Bytes of the file when it was last read (complete lines and a torn last line, if any).
    var fileLength = 0

    /// Nothing read yet, of the file with this device and inode.
    package init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// The parse of the log's complete lines, kept between reads (shared by copies of the log value).
final class ParsedPrefix: Sendable {
    let state = Mutex<ParsedLog?>(nil)
}
