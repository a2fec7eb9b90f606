import Foundation
import Testing

@testable import HollowCodable
import HollowCore

// What cannot be mapped, or does not match the state, gives a HollowCodableError.
extension CodableTests {
    @Test func recursiveTypesAreRefused() {
        #expect(throws: HollowCodableError.recursiveType(type: "TreeNode", path: "TreeNode.children -> ListOfTreeNode -> TreeNode")) {
            try Schema(deriving: TreeNode.self)
        }
        let error = #expect(throws: HollowCodableError.self) { try Schema(deriving: Chain.self) }
        #expect(error == .recursiveType(type: "Chain", path: "Chain.next -> Chain"))
    }

    @Test func unsupportedTypesGiveTypedErrors() {
        /// Where the unsupported type error of deriving `type` points: "Type" or "Type.field".
        func unsupported(_ type: any Decodable.Type) -> String? {
            let error = #expect(throws: HollowCodableError.self) { try Schema(deriving: [type]) }
            guard case .unsupportedType(let type, let field, _)? = error else {
                Issue.record("not an unsupported type error: \(String(describing: error))")
                return nil
            }
            return field.map { "\(type).\($0)" } ?? type
        }
        #expect(unsupported(Shape.self) == "Shape")
        #expect(unsupported(HasShape.self) == "HasShape.shape")
        #expect(unsupported(DoubleOptional.self) == "DoubleOptional.value")
        #expect(unsupported(Pair.self) == "Pair")
        #expect(unsupported(Wrapped.self) == "Wrapped.inner")

        #expect(throws: HollowCodableError.noPlaceholderValue(type: "Mood")) { try Schema(deriving: Feeling.self) }
        // Optional, the same enum needs no placeholder.
        #expect(throws: Never.self) { try Schema(deriving: MaybeFeeling.self) }

        let collision = #expect(throws: HollowCodableError.self) { try Schema(deriving: Collision.self) }
        guard case .typeNameCollision(let name, _, _)? = collision else { Issue.record("\(String(describing: collision))"); return }
        #expect(name == "Item")

        let badKey = #expect(throws: HollowCodableError.self) { try Schema(deriving: BadKey.self) }
        guard case .invalidSchema(.invalid(let type, let field, _))? = badKey else { Issue.record("\(String(describing: badKey))"); return }
        #expect(type == "BadKey" && field == "nope")

        let failing = #expect(throws: HollowCodableError.self) { try Schema(deriving: Picky.self) }
        guard case .failed(let pickyType, _, _)? = failing else { Issue.record("\(String(describing: failing))"); return }
        #expect(pickyType == "Picky")
    }

    @Test func writingAndReadingErrorsSayWhere() throws {
        let writer = WriteState(schema: try Schema(deriving: Movie.self))
        try writer.beginCycle()
        #expect(throws: HollowCodableError.missingType(name: "Sample", swiftType: "Sample")) {
            try writer.add(Sample(id: 1, name: "", score: nil, tags: [], flags: [], counts: [:], child: nil, children: [],
                                  when: Date(), blob: Data()))
        }
        #expect(throws: HollowCodableError.missingField(type: "Person", field: "nickname")) {
            try HollowEncoder(writer).add(Nicknamed(name: "Al", born: nil, nickname: "Big Al"), as: "Person")
        }
        let ordinal = try writer.add(Fixtures.first)
        let state = try ReadState(snapshot: try #require(try writer.writeBlobs()).snapshot)
        let decoder = HollowDecoder(state)

        #expect(throws: HollowCodableError.noRecord(type: "Movie", ordinal: 99)) {
            try decoder.decode(Movie.self, ordinal: 99)
        }
        #expect(throws: HollowCodableError.typeMismatch(type: "Movie", field: "title", expected: "string", found: "Int")) {
            try decoder.decode(WrongTitle.self, ordinal: ordinal, as: "Movie")
        }
        #expect(throws: HollowCodableError.missingField(type: "Movie", field: "budget")) {
            try decoder.decode(WithBudget.self, ordinal: ordinal, as: "Movie")
        }
        // A field the data does not have is nil for an optional.
        #expect(try decoder.decode(WithOptionalBudget.self, ordinal: ordinal, as: "Movie").budget == nil)
        #expect(throws: HollowCodableError.valueOutOfRange(type: "Movie", field: "year", value: "1999", target: "Int8")) {
            try decoder.decode(TinyYear.self, ordinal: ordinal, as: "Movie")
        }
        #expect(throws: HollowCodableError.invalidValue(type: "Movie", field: "title", value: "First Light", target: "Mood")) {
            try decoder.decode(MoodTitle.self, ordinal: ordinal, as: "Movie")
        }
        #expect(throws: HollowCodableError.invalidValue(type: "Movie", field: "poster", value: "6 bytes", target: "UUID")) {
            try decoder.decode(UUIDPoster.self, ordinal: ordinal, as: "Movie")
        }
        let second = try HollowDecoder(ReadState(snapshot: try writeCycle(writer, [Fixtures.second]).snapshot))
        #expect(throws: HollowCodableError.unexpectedNull(type: "Movie", field: "rating")) {
            try second.decode(RequiredRating.self, ordinal: 0, as: "Movie")
        }
        #expect(throws: HollowCodableError.missingType(name: "Sample", swiftType: "Sample")) {
            try decoder.decodeAll(Sample.self)
        }
    }
}
