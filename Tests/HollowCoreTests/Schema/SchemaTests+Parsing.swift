import Testing

@testable import HollowCore

// The text form: what parses, and into what.
extension SchemaTests {
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
}
