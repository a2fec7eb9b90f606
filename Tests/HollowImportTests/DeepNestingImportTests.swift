import Foundation
import HollowCore
import HollowImport
import Testing
import TestThreads

/// Nesting as deep as a schema allows is read without recursion: a line nested tens of thousands of
/// levels deep is read on a 512 KiB stack, and a problem at the bottom is reported where it is.
@Suite(.onTestThreads) struct DeepNestingImportTests {
    @Test func aLineNestedAsDeepAsTheSchemaAllowsIsRead() async throws {
        let chain = try DeepChain(depth: 20_000)
        let state = try await onSmallStack { try importing(chain.line, format: .jsonLines, type: "Top", schema: chain.schema) }
        #expect(state.recordCount("Top") == 1)
        #expect(state.recordCount("Leaf") == 1)
        #expect(state.recordCount("Key") == 1)
        for level in [1, 2, 3, 4, 5, 9_999, 20_000] { #expect(state.recordCount("L\(level)") == 1, "L\(level)") }
        let leaves = try #require(state.objectType("Leaf"))
        #expect(leaves.int(0, leaves.field("v")!) == 7)
    }

    @Test func aProblemAtTheBottomOfDeepNestingIsReportedWhereItIs() async throws {
        let chain = try DeepChain(depth: 20_000)
        let line = chain.line.replacingOccurrences(of: #"{"v": 7}"#, with: #"{"v": "seven"}"#)
        let column = try #require(line.utf8.firstIndex(of: UInt8(ascii: "s")).map { line.utf8.distance(from: line.utf8.startIndex, to: $0) })
        let message = try await onSmallStack { importError(line, type: "Top", schema: chain.schema)?.description }
        #expect(message == "input:1:\(column): Leaf.v is an int, found a string")
    }

    @Test func deepLinesThatRepeatAreReadOnce() async throws {
        let chain = try DeepChain(depth: 2_000)
        let second = chain.line.replacingOccurrences(of: #""id": 1"#, with: #""id": 2"#)
        let state = try await onSmallStack { try importing(chain.line + "\n" + second + "\n", format: .jsonLines, type: "Top", schema: chain.schema) }
        #expect(state.recordCount("Top") == 2)
        #expect(state.recordCount("L2000") == 1)
        #expect(state.recordCount("Leaf") == 1)
    }
}
