import PropertyBased
import Testing

@testable import HollowCore

// Properties over random valid schemas (RandomSchema.swift).
extension SchemaTests {
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
