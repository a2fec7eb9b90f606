import Foundation
import Testing
import TestThreads
@testable import Hollow

/// The log's line parser on its own (what the log-line fuzzer drives): entries read back as written,
/// and a line of any shape, nested however deep, is an entry or damage, never a crash.
@Suite struct LogLineParsingTests {
    /// The parse of `text` as the lines of a log.
    static func parse(_ text: String) throws(AnnouncementLogError) -> ParsedLog {
        var state = ParsedLog(device: 0, inode: 0)
        try FileSystemAnnouncementLog.parse(Array(text.utf8), into: &state, path: "log")
        return state
    }

    @Test func anEntryWrittenAsTheLogWritesItReadsBackEqual() throws {
        let line = FileSystemAnnouncementLog.LogLine(kind: .announce, announcement: try FileSystemAnnouncementLogTests.announcement(7), version: nil)
        let encoded = try FileSystemAnnouncementLog.encode(line)
        #expect(!encoded.contains(UInt8(ascii: "\n")))
        let read = FileSystemAnnouncementLog.entry(encoded[...], after: AnnouncementHistory(), decoder: JSONDecoder())
        #expect((try? read.get()) == line)
    }

    @Test func aLineNestedAHundredThousandLevelsDeepIsDamageOnASmallStack() async throws {
        let depth = 100_000
        let nested = #"{"kind":"unpin","tags":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}\n"
        let outcome = try await onSmallStack { () -> String in
            do { return "read \(try Self.parse(nested).lineCount) lines" } catch { return "\(error)" }
        }
        // The entry's own keys are all there; only the unknown key is nested (read, or refused: either is fine, a crash is not).
        #expect(outcome == "read 1 lines" || outcome.hasPrefix("log:1: "), "\(outcome)")
        let deepValue = #"{"kind":"pin","version":"# + String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) + "}\n"
        let refused = try await onSmallStack { () -> String in
            do { return "read \(try Self.parse(deepValue).lineCount) lines" } catch { return "\(error)" }
        }
        #expect(refused.hasPrefix("log:1: "), "\(refused)")
    }

    /// The decoder reports a number that does not fit its field as data that is not JSON at all;
    /// the damage names what it is (seen while seeding the log-line fuzzer).
    @Test(arguments: ["9223372036854775808", "1.5"])
    func aNumberThatDoesNotFitItsFieldIsNotCalledNotJSON(_ timestamp: String) {
        let text = #"{"announcement":{"producerID":"p","stateID":1,"tags":{},"term":0,"timestampMilliseconds":"# + timestamp + #","version":1},"kind":"announce"}"#
        let read = FileSystemAnnouncementLog.entry(Array(text.utf8)[...], after: AnnouncementHistory(), decoder: JSONDecoder())
        guard case .failure(let damage) = read else {
            Issue.record("read as an entry")
            return
        }
        #expect(damage.reason == "a field holds a value it cannot hold (a number out of its range or with a fraction, say)")
        let notJSON = FileSystemAnnouncementLog.entry(Array("{not json".utf8)[...], after: AnnouncementHistory(), decoder: JSONDecoder())
        guard case .failure(let other) = notJSON else { return }
        #expect(other.reason == "not a JSON object")
    }
}
