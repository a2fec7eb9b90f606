import Foundation
import Testing
import TestThreads

@testable import HollowCore

// The schema text has no nesting (a declaration never holds another), but its references may chain
// as many types as it declares: nothing that walks them may recurse once per type.
extension SchemaTests {
    /// `type T0 { v: int }`, then `type Ti { a: T(i-1) }` up to `count - 1`, and a `Top` keyed on
    /// the `v` at the bottom of the whole chain.
    static func chainText(_ count: Int) -> (text: String, keyPath: String) {
        var text = "type T0 { v: int }\n"
        text.reserveCapacity(count * 24)
        for index in 1..<count { text += "type T\(index) { a: T\(index - 1) }\n" }
        let keyPath = String(repeating: "a.", count: count) + "v"
        return (text + "type Top key(\(keyPath)) { a: T\(count - 1) }\n", keyPath)
    }

    /// As long as a chain can be: a schema declares at most `Schema.maximumTypes` types.
    @Test func theLongestChainParsesPrintsAndResolvesOnASmallStack() async throws {
        let (text, keyPath) = Self.chainText(Schema.maximumTypes - 1)
        let schema = try await onSmallStack { try Schema(parsing: text) }
        #expect(schema.types.count == Schema.maximumTypes)
        #expect(schema.types.first?.name == "T0")
        #expect(schema.types.last?.name == "Top")
        let reparsed = try await onSmallStack { try Schema(parsing: schema.description) }
        let same = reparsed == schema  // not printed on failure: the schema is megabytes of text
        #expect(same)
        #expect(try schema.resolve(path: keyPath, from: "Top").count == Schema.maximumTypes)
    }

    @Test func aCycleClosingALongChainIsFoundOnASmallStack() async throws {
        let (text, _) = Self.chainText(20_000)
        let cyclic = text.replacingOccurrences(of: "type T0 { v: int }", with: "type T0 { v: int  back: T19999? }")
        let error = try await onSmallStack { () -> SchemaError? in
            do throws(SchemaError) { _ = try Schema(parsing: cyclic); return nil } catch { return error }
        }
        guard case .syntax(let line, let column, let message)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 1 && column == 6)
        let namesTheCycle = message.hasPrefix("T0: reference cycle T0 -> T19999 -> T19998 -> ") && message.hasSuffix(" -> T1 -> T0")
        #expect(namesTheCycle)
    }
}
