import Testing

@testable import HollowCore

// The canonical printer.
extension SchemaTests {
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
}
