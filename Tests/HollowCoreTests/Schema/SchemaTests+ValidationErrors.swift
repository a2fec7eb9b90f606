import Testing

@testable import HollowCore

// Text that parses but is not a valid schema (unknown types, cycles, bad keys).
extension SchemaTests {
    @Test func missingReferencedTypes() {
        expectInvalid([object("A", FieldSchema("p", .reference("Person")))], type: "A", field: "p", "refers to the missing type 'Person'")
        expectInvalid([.list(name: "L", element: "X")], type: "L", field: nil, "missing type 'X'")
        expectInvalid([.set(name: "S", element: "X")], type: "S", field: nil, "missing type 'X'")
        expectInvalid([object("K", FieldSchema("k", .int)), .map(name: "M", key: "K", value: "V")], type: "M", field: nil, "missing type 'V'")
        expectInvalid([object("V", FieldSchema("v", .int)), .map(name: "M", key: "K", value: "V")], type: "M", field: nil, "missing type 'K'")
        // Type names are case-sensitive.
        expectInvalid([object("person"), object("A", FieldSchema("p", .reference("Person")))], type: "A", field: "p", "missing type 'Person'")

        // From text, the error points at the declaration of the type that refers.
        expectSyntaxError("type A { x: int }\n\ntype B {\n  a: A\n  p: Person\n}", line: 3, column: 6, "B.p: refers to the missing type 'Person'")
        expectSyntaxError("type A { x: int }\n  list L of Nope", line: 2, column: 8, "L: refers to the missing type 'Nope'")
        expectSyntaxError("map M of Int to Long", line: 1, column: 5, "M: refers to the missing type 'Int'")
    }

    @Test func duplicateTypes() {
        expectInvalid([object("A", FieldSchema("x", .int)), .list(name: "A", element: "A")], type: "A", field: nil, "the type is declared twice")
        expectInvalid([object("A"), object("A")], type: "A", field: nil, "declared twice")
        // From text, the error points at the second declaration.
        expectSyntaxError("type A { x: int }\ntype B { y: A }\nlist A of B", line: 3, column: 6, "A: the type is declared twice")
        expectSyntaxError("type A {}\n  type A {}", line: 2, column: 8, "A: the type is declared twice")
    }

    @Test func duplicateFields() {
        expectInvalid([object("A", FieldSchema("x", .int), FieldSchema("y", .int), FieldSchema("x", .long))], type: "A", field: "x", "the field is declared twice")
        expectSyntaxError("type Z {}\ntype A {\n  x: int\n  x: int?\n}", line: 2, column: 6, "A.x: the field is declared twice")
    }

    @Test func referenceCycles() {
        expectInvalid(
            [object("A", FieldSchema("b", .reference("B"))), object("B", FieldSchema("a", .reference("A")))],
            type: "A", field: nil, "reference cycle A -> B -> A")
        expectInvalid([object("A", FieldSchema("me", .reference("A"), nullable: true))], type: "A", field: nil, "reference cycle A -> A")
        // Cycles through collections, with a prefix that is not part of the cycle.
        expectInvalid(
            [
                object("Root", FieldSchema("n", .reference("Node"))),
                object("Node", FieldSchema("children", .reference("Children"))),
                .list(name: "Children", element: "Node"),
            ],
            type: "Node", field: nil, "reference cycle Node -> Children -> Node")
        expectInvalid(
            [
                object("K", FieldSchema("m", .reference("M"))),
                .map(name: "M", key: "K", value: "K"),
            ],
            type: "K", field: nil, "reference cycle K -> M -> K")
        expectSyntaxError("type A {\n  b: B\n}\ntype B {\n  a: A?\n}", line: 1, column: 6, "A: reference cycle A -> B -> A")
        expectSyntaxError("type X {}\nset S of S", line: 2, column: 5, "S: reference cycle S -> S")
    }

    @Test func primaryKeyPathThroughANonReferenceField() {
        expectInvalid(
            [object("A", key: ["id.x"], FieldSchema("id", .long))],
            type: "A", field: "id.x", "'id' is not a reference, the path cannot continue past it")
        expectInvalid(
            [
                object("P", FieldSchema("name", .string)),
                object("A", key: ["p.name.first"], FieldSchema("p", .reference("P"))),
            ],
            type: "A", field: "p.name.first", "'name' is not a reference")
        // Through a reference to a list: the path can only cross object types.
        expectInvalid(
            [
                object("P", FieldSchema("name", .string)),
                .list(name: "Ps", element: "P"),
                object("A", key: ["ps.name"], FieldSchema("ps", .reference("Ps"))),
            ],
            type: "A", field: "ps.name", "'Ps' is not an object type")
        expectSyntaxError("type A {}\ntype M key(title.length) {\n  title: string\n}", line: 2, column: 6, "M.title.length: 'title' is not a reference")
    }

    @Test func primaryKeyNamingAMissingField() {
        expectInvalid([object("A", key: ["id"], FieldSchema("name", .string))], type: "A", field: "id", "A has no field 'id'")
        expectInvalid(
            [
                object("P", FieldSchema("name", .string)),
                object("A", key: ["p.nme"], FieldSchema("p", .reference("P"))),
            ],
            type: "A", field: "p.nme", "P has no field 'nme'")
        expectInvalid([object("A", key: ["x."], FieldSchema("x", .reference("A")))], type: "A", field: nil, "reference cycle")
        expectInvalid([object("B"), object("A", key: ["b."], FieldSchema("b", .reference("B")))], type: "A", field: "b.", "B has no field ''")
        expectInvalid([object("A", key: [], FieldSchema("id", .int))], type: "A", field: nil, "a primary key needs at least one field")
        expectSyntaxError("type P { name: string }\ntype M key(id, p.age) {\n  id: int\n  p: P\n}", line: 2, column: 6, "M.p.age: P has no field 'age'")
    }

    @Test func resolveReportsBadPaths() throws {
        let schema = try Schema(parsing: "type P { name: string }\nlist Ps of P\ntype A { p: P; ps: Ps; n: int }")
        #expect(throws: SchemaError.self) { try schema.resolve(path: "zz", from: "A") }
        #expect(throws: SchemaError.self) { try schema.resolve(path: "n.x", from: "A") }
        #expect(throws: SchemaError.self) { try schema.resolve(path: "ps.name", from: "A") }
        #expect(throws: SchemaError.self) { try schema.resolve(path: "name", from: "Ps") }
        #expect(throws: SchemaError.self) { try schema.resolve(path: "name", from: "Missing") }
        #expect(try schema.resolve(path: "p.name", from: "A").map(\.type.name) == ["A", "P"])
    }

    @Test func invalidNamesAreRefused() {
        for bad in ["", "1abc", "a-b", "a b", "é", "a.b", String(repeating: "a", count: 256)] {
            expectInvalid([object(bad)], type: bad, field: nil, "is not a valid name")
            expectInvalid([object("A", FieldSchema(bad, .int))], type: "A", field: bad, "is not a valid name")
        }
        // 255 characters is the longest name.
        let longest = String(repeating: "z", count: 255)
        #expect(throws: Never.self) { try Schema([object(longest, FieldSchema(longest, .int))]) }
        // A name that starts with a digit is one word for the scanner, and refused by validation.
        expectSyntaxError("type A {}\ntype 9Lives { x: int }", line: 2, column: 6, "'9Lives' is not a valid name")
        expectSyntaxError("type A { 2x: int }", line: 1, column: 6, "A.2x: '2x' is not a valid name")
    }

    @Test func reservedWordsAreRefusedAsTypeNamesByTheModelToo() {
        // The model must not accept a schema whose text form cannot be parsed back.
        for name in ["type", "list", "set", "map", "key", "of", "to", "int", "long", "float", "double", "bool", "string", "bytes"] {
            expectInvalid([object(name, FieldSchema("x", .int))], type: name, field: nil, "reserved")
            expectInvalid([object("A", FieldSchema("x", .int)), .list(name: name, element: "A")], type: name, field: nil, "reserved")
        }
        // Other spellings are ordinary names.
        #expect(throws: Never.self) {
            try Schema([object("String", FieldSchema("value", .string)), object("Int", FieldSchema("value", .int))])
        }
    }

    @Test func errorDescriptions() {
        #expect(SchemaError.syntax(line: 3, column: 7, message: "boom").description == "schema syntax error at line 3, column 7: boom")
        #expect(SchemaError.invalid(type: "A", field: "b", message: "bad").description == "invalid schema: A.b: bad")
        #expect(SchemaError.invalid(type: "A", field: nil, message: "bad").description == "invalid schema: A: bad")
        #expect(SchemaError.incompatibleChange(type: "A", field: "x", message: "int to string").description
            == "incompatible schema change: A.x: int to string")
    }
}
