import Testing
import TestThreads

@testable import HollowCore

// Tests of the schema model, its text form (SchemaParser) and its canonical printer.
// One suite, its tests in SchemaTests+<topic>.swift.
@Suite(.onTestThreads) struct SchemaTests {}

// Helpers shared by the topics.
extension SchemaTests {
    func object(
        _ name: String, key: [String]? = nil, _ fields: FieldSchema...
    ) -> TypeSchema {
        .object(ObjectSchema(name, fields: fields, primaryKey: key))
    }

    /// The error thrown by `body`, or nil if it did not throw.
    func schemaError(_ body: () throws(SchemaError) -> Schema) -> SchemaError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    /// Parses `text`, expecting a syntax error at `line`:`column` whose message contains `fragment`.
    func expectSyntaxError(
        _ text: String, line: Int, column: Int, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = schemaError({ () throws(SchemaError) in try Schema(parsing: text) }) else {
            Issue.record("expected a syntax error, the schema parsed:\n\(text)", sourceLocation: sourceLocation)
            return
        }
        guard case .syntax(let l, let c, let message) = error else {
            Issue.record("expected a syntax error, got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(l == line, "line of \(error)", sourceLocation: sourceLocation)
        #expect(c == column, "column of \(error)", sourceLocation: sourceLocation)
        #expect(message.contains(fragment), "message of \(error) should contain \(fragment)", sourceLocation: sourceLocation)
    }

    /// Builds a schema from `types`, expecting an `.invalid` error for `type`/`field` whose message contains `fragment`.
    func expectInvalid(
        _ types: [TypeSchema], type: String, field: String?, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = schemaError({ () throws(SchemaError) in try Schema(types) }) else {
            Issue.record("expected an invalid schema error, the schema was accepted", sourceLocation: sourceLocation)
            return
        }
        guard case .invalid(let t, let f, let message) = error else {
            Issue.record("expected an invalid schema error, got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(t == type, "type of \(error)", sourceLocation: sourceLocation)
        #expect(f == field, "field of \(error)", sourceLocation: sourceLocation)
        #expect(message.contains(fragment), "message of \(error) should contain \(fragment)", sourceLocation: sourceLocation)
    }
}
