import Foundation
import PropertyBased

@testable import HollowCodable
import HollowCore

/// Sample types for the property tests.
struct Child: Codable, Hashable, Sendable {
    var label: String
    var weight: Float
    var level: Level?
}

struct Sample: Codable, Hashable, Sendable {
    var id: Int64
    var name: String
    var score: Double?
    var tags: [String]
    var flags: Set<Int8>
    var counts: [String: UInt64]
    var child: Child?
    var children: [Child]
    var when: Date
    var blob: Data
}

enum SampleGen {
    static let text = Gen.letterOrNumber.string(of: 0...8)
    static let child = zip(text, Gen.float(in: -1000...1000), Gen<Level>.case.optional)
        .map { Child(label: $0.0, weight: $0.1, level: $0.2) }
    static let head = zip(Gen.int64(), text, Gen.double(in: -1e12...1e12).optional, text.array(of: 0...4), Gen.int8().set(ofAtMost: 0...4))
    static let tail = zip(zip(text, Gen.uint64()).dictionary(ofAtMost: 0...3), child.optional, child.array(of: 0...3),
                          Gen.dateTime, Gen.uint8().array(of: 0...6))
    static let sample = zip(head, tail).map { head, tail in
        Sample(id: head.0, name: head.1, score: head.2, tags: head.3, flags: head.4, counts: tail.0, child: tail.1,
               children: tail.2, when: tail.3, blob: Data(tail.4))
    }
}
