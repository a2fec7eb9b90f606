import PropertyBased
import Testing

@testable import HollowCore

// Tests of the schema model, its text form (SchemaParser) and its canonical printer.

// MARK: - Helpers

private func object(
    _ name: String, key: [String]? = nil, _ fields: FieldSchema...
) -> TypeSchema {
    .object(ObjectSchema(name, fields: fields, primaryKey: key))
}

/// The error thrown by `body`, or nil if it did not throw.
private func schemaError(_ body: () throws(SchemaError) -> Schema) -> SchemaError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Parses `text`, expecting a syntax error at `line`:`column` whose message contains `fragment`.
private func expectSyntaxError(
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
private func expectInvalid(
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

@Suite struct SchemaTests {

    // MARK: Parsing

    @Test func parsesEveryFieldType() throws {
        let schema = try Schema(parsing: """
            type Person {
                name: string
            }
            type Everything {
                i: int
                l: long
                f: float
                d: double
                b: bool
                s: string
                y: bytes
                r: Person
            }
            """)
        let expected = try Schema([
            object("Person", FieldSchema("name", .string)),
            object(
                "Everything",
                FieldSchema("i", .int), FieldSchema("l", .long), FieldSchema("f", .float),
                FieldSchema("d", .double), FieldSchema("b", .bool), FieldSchema("s", .string),
                FieldSchema("y", .bytes), FieldSchema("r", .reference("Person"))),
        ])
        #expect(schema == expected)
        let everything = try #require(schema.object("Everything"))
        #expect(everything.fields.map(\.type) == [.int, .long, .float, .double, .bool, .string, .bytes, .reference("Person")])
        #expect(everything.fields.allSatisfy { !$0.isNullable })
        #expect(everything.primaryKey == nil)
        #expect(everything.fieldIndex("s") == 5)
        #expect(everything.fieldIndex("nope") == nil)
    }

    @Test func parsesNullableFields() throws {
        let schema = try Schema(parsing: """
            type P { n: string }
            type A {
                a: int?
                b: long ?
                c: P?
                d: bytes
                e: bool?
            }
            """)
        let a = try #require(schema.object("A"))
        #expect(a.fields == [
            FieldSchema("a", .int, nullable: true),
            FieldSchema("b", .long, nullable: true),
            FieldSchema("c", .reference("P"), nullable: true),
            FieldSchema("d", .bytes),
            FieldSchema("e", .bool, nullable: true),
        ])
    }

    @Test func parsesPrimaryKeysWithReferencePaths() throws {
        let schema = try Schema(parsing: """
            type Country { code: string }
            type Person key(name, country.code) {
                name: string
                country: Country
            }
            type Movie key(id, director.name, director.country.code) {
                id: long
                director: Person?
            }
            type Tag key( value ) { value: string }
            """)
        #expect(schema.object("Country")?.primaryKey == nil)
        #expect(schema.object("Person")?.primaryKey == ["name", "country.code"])
        #expect(schema.object("Movie")?.primaryKey == ["id", "director.name", "director.country.code"])
        #expect(schema.object("Tag")?.primaryKey == ["value"])

        // The paths resolve through the referenced types.
        let steps = try schema.resolve(path: "director.country.code", from: "Movie")
        #expect(steps.map(\.type.name) == ["Movie", "Person", "Country"])
        #expect(steps.map(\.fieldIndex) == [1, 1, 0])
        let single = try schema.resolve(path: "id", from: "Movie")
        #expect(single.count == 1 && single[0].type.name == "Movie" && single[0].fieldIndex == 0)
    }

    @Test func parsesListSetAndMapDeclarations() throws {
        let schema = try Schema(parsing: """
            type Genre { name: string }
            type Person { name: string }
            type Score { value: double }
            set Genres of Genre
            list Cast of Person
            map Ratings of Person to Score
            type Movie {
                genres: Genres
                cast: Cast
                ratings: Ratings?
            }
            """)
        #expect(schema["Genres"] == .set(name: "Genres", element: "Genre"))
        #expect(schema["Cast"] == .list(name: "Cast", element: "Person"))
        #expect(schema["Ratings"] == .map(name: "Ratings", key: "Person", value: "Score"))
        #expect(schema["Genres"]?.kindName == "set")
        #expect(schema["Cast"]?.kindName == "list")
        #expect(schema["Ratings"]?.kindName == "map")
        #expect(schema["Movie"]?.kindName == "object")
        #expect(schema["Ratings"]?.referencedTypes == ["Person", "Score"])
        #expect(schema["Movie"]?.referencedTypes == ["Genres", "Cast", "Ratings"])
        #expect(schema["Nope"] == nil)
        #expect(schema.object("Cast") == nil, "a list is not an object type")
        #expect(schema.types.count == 7)
    }

    @Test func collectionsMayReferToCollectionsAndThemselvesBeElements() throws {
        let schema = try Schema(parsing: """
            type Name { value: string }
            list Names of Name
            list NameLists of Names
            map ByName of Name to NameLists
            set Maps of ByName
            """)
        #expect(schema.types.map(\.name) == ["Name", "Names", "NameLists", "ByName", "Maps"])
    }

    @Test func commentsWhitespaceAndSemicolonsAreIgnored() throws {
        let text = "# leading comment\n"
            + "\t# indented comment\n"
            + "type   Person{name:string;age:int?}   # trailing comment\r\n"
            + "type Movie key(id) { # comment after brace\n"
            + "    id: long; # comment after a field\n"
            + "    # a comment line between fields\n"
            + "    lead: Person;;\n"
            + "};\n"
            + "list Cast of Person # done\n"
            + "# final comment without newline"
        let schema = try Schema(parsing: text)
        let expected = try Schema([
            object("Person", FieldSchema("name", .string), FieldSchema("age", .int, nullable: true)),
            object("Movie", key: ["id"], FieldSchema("id", .long), FieldSchema("lead", .reference("Person"))),
            .list(name: "Cast", element: "Person"),
        ])
        #expect(schema == expected)
    }

    @Test func emptyAndCommentOnlyTextsAreEmptySchemas() throws {
        #expect(try Schema(parsing: "").types.isEmpty)
        #expect(try Schema(parsing: "  \n\t;\n# nothing here\n").types.isEmpty)
        #expect(try Schema([]).description == "")
    }

    @Test func objectsWithoutFieldsAreAllowed() throws {
        let schema = try Schema(parsing: "type Empty {}\ntype AlsoEmpty {\n}")
        #expect(schema.object("Empty")?.fields == [])
        #expect(schema.object("AlsoEmpty")?.fields == [])
    }

    @Test func keywordsAndPrimitiveNamesMayBeFieldNames() throws {
        let schema = try Schema(parsing: """
            type T key(key, type) {
                key: int
                type: string
                of: long
                to: bool
                list: bytes
                int: double
                string: float
            }
            """)
        let t = try #require(schema.object("T"))
        #expect(t.fields.map(\.name) == ["key", "type", "of", "to", "list", "int", "string"])
        #expect(t.primaryKey == ["key", "type"])
        #expect(try Schema(parsing: schema.description) == schema)
    }

    @Test func typesAreKeptInDependencyOrder() throws {
        // Declared users first; the schema puts every type after the types it refers to.
        let schema = try Schema(parsing: """
            type Movie { cast: Cast; director: Person; ratings: Ratings }
            map Ratings of Source to Score
            list Cast of Person
            type Person { country: Country }
            type Score { value: int }
            type Source { name: string }
            type Country { code: string }
            type Unrelated { x: int }
            """)
        let names = schema.types.map(\.name)
        #expect(Set(names) == ["Movie", "Ratings", "Cast", "Person", "Score", "Source", "Country", "Unrelated"])
        for (position, type) in schema.types.enumerated() {
            for target in type.referencedTypes {
                let at = try #require(names.firstIndex(of: target))
                #expect(at < position, "\(target) must come before \(type.name)")
            }
        }
        // The order is a function of the declaration order: the same text gives the same schema.
        #expect(try Schema(parsing: schema.description).types.map(\.name) == names)
    }

    @Test func orderOfAnAlreadyOrderedSchemaIsKept() throws {
        let types: [TypeSchema] = [
            object("B", FieldSchema("x", .int)),
            object("A", FieldSchema("y", .int)),
            object("C", FieldSchema("a", .reference("A")), FieldSchema("b", .reference("B"))),
            .list(name: "L", element: "C"),
        ]
        #expect(try Schema(types).types == types)
    }

    @Test func identifiersMayUseUnderscoresAndDigits() throws {
        let schema = try Schema(parsing: "type _a1 { _: int; b_2: _a1_x? }\ntype _a1_x { Z9: string }")
        #expect(schema.types.map(\.name) == ["_a1_x", "_a1"])
        #expect(schema.object("_a1")?.fields.map(\.name) == ["_", "b_2"])
    }

    // MARK: Syntax errors

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

    // MARK: Validation errors

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

    // MARK: Printer

    @Test func printsTheCanonicalForm() throws {
        let schema = try Schema(parsing: """
            type Movie key(id, director.name) { id: long; title: string; director: Person?; cast: Cast; ratings: Ratings; poster: bytes? }
            # comments are not kept
            map Ratings of Source to Score
            list Cast of Person
            set Tags of Source
            type Person { name: string; height: float; alive: bool; rank: int; score: double? }
            type Source { name: string }
            type Score { value: int }
            """)
        #expect(schema.description == """
            type Person {
                name: string
                height: float
                alive: bool
                rank: int
                score: double?
            }
            list Cast of Person
            type Source {
                name: string
            }
            type Score {
                value: int
            }
            map Ratings of Source to Score
            type Movie key(id, director.name) {
                id: long
                title: string
                director: Person?
                cast: Cast
                ratings: Ratings
                poster: bytes?
            }
            set Tags of Source

            """)
        #expect(try Schema(parsing: schema.description) == schema)
        #expect(try Schema(parsing: schema.description).description == schema.description)
    }

    @Test func fieldTypeDescriptions() {
        #expect(FieldType.int.description == "int")
        #expect(FieldType.long.description == "long")
        #expect(FieldType.float.description == "float")
        #expect(FieldType.double.description == "double")
        #expect(FieldType.bool.description == "bool")
        #expect(FieldType.string.description == "string")
        #expect(FieldType.bytes.description == "bytes")
        #expect(FieldType.reference("Movie").description == "Movie")
        #expect(FieldType.string.isVariableLength && FieldType.bytes.isVariableLength)
        #expect(!FieldType.int.isVariableLength && !FieldType.reference("X").isVariableLength)
    }

    @Test func longChainsOfTypesAreOrderedWithoutTrouble() throws {
        // T0 <- T1 <- ... declared last-first: ordering must walk the whole chain (a recursive walk
        // overflowed the stack here).
        let count = 20_000
        var text = ""
        for i in stride(from: count - 1, through: 1, by: -1) { text += "type T\(i) { next: T\(i - 1) }\n" }
        text += "type T0 { x: int }\n"
        let schema = try Schema(parsing: text)
        #expect(schema.types.map(\.name) == (0..<count).map { "T\($0)" })
        #expect(try Schema(parsing: schema.description) == schema)
    }

    @Test func longReferenceCyclesAreReported() {
        let count = 20_000
        var types: [TypeSchema] = (0..<count).map { object("T\($0)", FieldSchema("next", .reference("T\(($0 + 1) % count)"))) }
        types.append(object("Root", FieldSchema("t", .reference("T0"))))
        guard case .invalid("T0", nil, let message)? = schemaError({ () throws(SchemaError) in try Schema(types) }) else {
            Issue.record("expected a reference cycle at T0")
            return
        }
        #expect(message.hasPrefix("reference cycle T0 -> T1 -> T2 -> "))
        #expect(message.hasSuffix(" -> T\(count - 1) -> T0"))
    }

    // MARK: Properties

    @Test func printParseRoundTripOfRandomSchemas() async {
        await propertyCheck(count: 300, input: RandomSchema.generator) { types in
            let schema = try Schema(types)
            let text = schema.description
            let parsed = try Schema(parsing: text)
            #expect(parsed == schema, "schema text:\n\(text)")
            #expect(parsed.description == text)
            // Every type follows the types it refers to.
            let names = schema.types.map(\.name)
            for (position, type) in schema.types.enumerated() {
                for target in type.referencedTypes {
                    #expect(names.firstIndex(of: target).map { $0 < position } == true)
                }
            }
            // Primary keys resolve.
            for case .object(let object) in schema.types {
                for path in object.primaryKey ?? [] {
                    #expect(try schema.resolve(path: path, from: object.name).count == path.split(separator: ".").count)
                }
            }
        }
    }

    @Test func layoutNoiseDoesNotChangeTheParsedSchema() async {
        await propertyCheck(count: 200, input: RandomSchema.generator, Gen.uint64()) { types, seed in
            let schema = try Schema(types)
            var rng = Xoshiro(seed: seed)
            // Re-join the printed words with arbitrary whitespace, separators and comments.
            let separators = [" ", "\n", "\t", " ; ", ";", " # comment: { } ( ) ? , .\n", "\r\n", "\n\n  # x\n\t"]
            let words = schema.description.split(whereSeparator: { $0 == " " || $0 == "\n" })
            var noisy = separators.randomElement(using: &rng)!
            for word in words { noisy += word + separators.randomElement(using: &rng)! }
            #expect(try Schema(parsing: noisy) == schema, "noisy text:\n\(noisy)")
        }
    }
}

// MARK: - Random valid schemas

/// Random valid schemas: unique valid names, references only to earlier types (so no cycles),
/// primary keys that follow references, declared in shuffled order.
private enum RandomSchema {
    static let generator = Generator<[TypeSchema], Shrink.None<[TypeSchema]>>(run: { rng in make(using: &rng) })

    static let reserved: Set<String> = ["type", "list", "set", "map", "key", "of", "to", "int", "long", "float", "double", "bool", "string", "bytes"]
    /// Field names that are keywords elsewhere in the grammar.
    static let trickyFieldNames = ["key", "type", "of", "to", "list", "set", "map", "int", "string", "bytes", "_", "A"]
    static let primitives: [FieldType] = [.int, .long, .float, .double, .bool, .string, .bytes]

    static func identifier(using rng: inout some RandomNumberGenerator) -> String {
        let first = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
        let rest = first + Array("0123456789")
        var name = String(first.randomElement(using: &rng)!)
        for _ in 0..<Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 12), using: &rng) {
            name.append(rest.randomElement(using: &rng)!)
        }
        return name
    }

    static func make(using rng: inout some RandomNumberGenerator) -> [TypeSchema] {
        var types: [TypeSchema] = []
        var used = Set<String>()
        let count = Int.random(in: 1...10, using: &rng)
        for _ in 0..<count {
            var name = identifier(using: &rng)
            while used.contains(name) || reserved.contains(name) { name = identifier(using: &rng) }
            used.insert(name)
            let kind = types.isEmpty ? 0 : Int.random(in: 0...9, using: &rng)
            switch kind {
            case 7: types.append(.list(name: name, element: types.randomElement(using: &rng)!.name))
            case 8: types.append(.set(name: name, element: types.randomElement(using: &rng)!.name))
            case 9:
                types.append(.map(name: name, key: types.randomElement(using: &rng)!.name,
                                  value: types.randomElement(using: &rng)!.name))
            default:
                types.append(.object(makeObject(name, earlier: types, using: &rng)))
            }
        }
        types.shuffle(using: &rng)
        return types
    }

    static func makeObject(_ name: String, earlier: [TypeSchema], using rng: inout some RandomNumberGenerator) -> ObjectSchema {
        var fields: [FieldSchema] = []
        var fieldNames = Set<String>()
        for _ in 0..<Int.random(in: 0...7, using: &rng) {
            var fieldName = Int.random(in: 0..<4, using: &rng) == 0
                ? trickyFieldNames.randomElement(using: &rng)! : identifier(using: &rng)
            while fieldNames.contains(fieldName) { fieldName = identifier(using: &rng) }
            fieldNames.insert(fieldName)
            let type: FieldType = !earlier.isEmpty && Bool.random(using: &rng)
                ? .reference(earlier.randomElement(using: &rng)!.name)
                : primitives.randomElement(using: &rng)!
            fields.append(FieldSchema(fieldName, type, nullable: Bool.random(using: &rng)))
        }
        var key: [String]?
        if !fields.isEmpty && Int.random(in: 0..<3, using: &rng) == 0 {
            // Keys end at a leaf (a path that stops at a reference is dropped).
            let paths = (0..<Int.random(in: 1...3, using: &rng)).compactMap { _ in
                keyPath(fields, earlier: earlier, using: &rng)
            }
            if !paths.isEmpty { key = paths }
        }
        return ObjectSchema(name, fields: fields, primaryKey: key)
    }

    /// A path that starts at one of `fields` and follows references to object types at random;
    /// nil if it ends at a reference.
    static func keyPath(_ fields: [FieldSchema], earlier: [TypeSchema], using rng: inout some RandomNumberGenerator) -> String? {
        var fields = fields
        var parts: [String] = []
        while true {
            let field = fields.randomElement(using: &rng)!
            parts.append(field.name)
            guard case .reference(let target) = field.type,
                  case .object(let next)? = earlier.first(where: { $0.name == target }),
                  !next.fields.isEmpty, Bool.random(using: &rng)
            else {
                if case .reference = field.type { return nil }
                break
            }
            fields = next.fields
        }
        return parts.joined(separator: ".")
    }
}
