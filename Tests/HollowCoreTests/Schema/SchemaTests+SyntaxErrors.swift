import Testing

@testable import HollowCore

// Text that does not parse: the error names the line, the column and what was expected.
extension SchemaTests {
    @Test func unexpectedCharacterIsReportedWhereItIs() {
        expectSyntaxError("type A {\n    id: long\n    @x: int\n}", line: 3, column: 5, "unexpected character '@'")
        expectSyntaxError("type A-B { }", line: 1, column: 7, "unexpected character '-'")
        expectSyntaxError("type A { id: long }\n\ntype B { x: int = 3 }", line: 3, column: 17, "unexpected character '='")
        expectSyntaxError("type A { name: string } // not a comment", line: 1, column: 25, "unexpected character '/'")
        // Tabs count as one column.
        expectSyntaxError("\t\ttype A { x: int! }", line: 1, column: 18, "unexpected character '!'")
        // CRLF line endings: \r is whitespace, lines still counted by \n.
        expectSyntaxError("type A {\r\n  x: int\r\n  $\r\n}", line: 3, column: 3, "unexpected character '$'")
        // A non-ASCII byte is refused (names are ASCII).
        let error = schemaError { () throws(SchemaError) in try Schema(parsing: "type Café { }") }
        guard case .syntax(1, 9, let message)? = error else {
            Issue.record("expected a syntax error at 1:9, got \(String(describing: error))")
            return
        }
        #expect(message.contains("unexpected character"))
    }

    @Test func missingColonIsReportedAtTheFieldType() {
        expectSyntaxError("type A {\n    id long\n}", line: 2, column: 8, "expected ':', found 'long'")
        expectSyntaxError("type A { id: long\n  name string }", line: 2, column: 8, "expected ':', found 'string'")
        expectSyntaxError("type A { id }", line: 1, column: 13, "expected ':', found '}'")
    }

    @Test func missingClosingBraceIsReportedAtTheEnd() {
        expectSyntaxError("type A {\n    id: long\n", line: 3, column: 1, "expected a field name or '}', found the end of the schema")
        expectSyntaxError("type A {\n    id: long", line: 2, column: 13, "found the end of the schema")
        expectSyntaxError("type A {\n    id: long\n# }\n", line: 4, column: 1, "found the end of the schema")
        expectSyntaxError("type A {\n    id:", line: 2, column: 8, "expected a field type, found the end of the schema")
    }

    @Test func keywordsCannotBeTypeNames() {
        expectSyntaxError("type map { x: int }", line: 1, column: 6, "expected a type name, found 'map'")
        expectSyntaxError("type A { x: int }\nlist of of A", line: 2, column: 6, "expected a type name, found 'of'")
        expectSyntaxError("set key of A", line: 1, column: 5, "expected a type name, found 'key'")
        expectSyntaxError("map to of A to B", line: 1, column: 5, "expected a type name, found 'to'")
        expectSyntaxError("type type {}", line: 1, column: 6, "expected a type name, found 'type'")
        expectSyntaxError("type list {}", line: 1, column: 6, "expected a type name, found 'list'")
        expectSyntaxError("type set {}", line: 1, column: 6, "expected a type name, found 'set'")
        expectSyntaxError("type {}", line: 1, column: 6, "expected a type name, found '{'")
    }

    @Test func primitiveNamesCannotBeTypeNames() {
        // `x: int` always means the primitive, so a type called `int` could never be referred to,
        // and the printed form would not parse back to the same schema.
        for name in ["int", "long", "float", "double", "bool", "string", "bytes"] {
            guard case .syntax(1, 6, let message)? = schemaError({ () throws(SchemaError) in
                try Schema(parsing: "type \(name) { x: int }")
            }) else {
                Issue.record("a type named \(name) should be refused at 1:6")
                continue
            }
            #expect(message.contains("'\(name)'"))
        }
    }

    @Test func otherSyntaxErrors() {
        expectSyntaxError("object A { }", line: 1, column: 1, "expected 'type', 'list', 'set' or 'map', found 'object'")
        expectSyntaxError("type A { x: int }\n}", line: 2, column: 1, "expected 'type', 'list', 'set' or 'map', found '}'")
        expectSyntaxError("list L A", line: 1, column: 8, "expected 'of', found 'A'")
        expectSyntaxError("list L of", line: 1, column: 10, "expected an element type, found the end of the schema")
        expectSyntaxError("set S of ?", line: 1, column: 10, "expected an element type, found '?'")
        expectSyntaxError("map M of A B", line: 1, column: 12, "expected 'to', found 'B'")
        expectSyntaxError("map M of A to", line: 1, column: 14, "expected a value type, found the end of the schema")
        expectSyntaxError("map M of to B", line: 1, column: 13, "expected 'to', found 'B'")
        expectSyntaxError("type A key id { id: int }", line: 1, column: 12, "expected '(', found 'id'")
        expectSyntaxError("type A key() { id: int }", line: 1, column: 12, "expected a key field, found ')'")
        expectSyntaxError("type A key(id { id: int }", line: 1, column: 15, "expected ')', found '{'")
        expectSyntaxError("type A key(id,) { id: int }", line: 1, column: 15, "expected a key field, found ')'")
        expectSyntaxError("type A key(a.) { a: int }", line: 1, column: 14, "expected a field name after '.', found ')'")
        expectSyntaxError("type A key(.a) { a: int }", line: 1, column: 12, "expected a key field, found '.'")
        expectSyntaxError("type A x: int }", line: 1, column: 8, "expected '{', found 'x'")
        expectSyntaxError("type A { x: ? }", line: 1, column: 13, "expected a field type, found '?'")
        expectSyntaxError("type A { x: int?? }", line: 1, column: 17, "expected a field name or '}', found '?'")
        expectSyntaxError("type A { : int }", line: 1, column: 10, "expected a field name or '}', found ':'")
        expectSyntaxError("type A { x: int }}", line: 1, column: 18, "found '}'")
    }
}
