import Foundation
import Testing

@testable import HollowCodable
import HollowCore

enum Fixtures {
    static let ann = Person(name: "Ann", born: 1970)
    static let bob = Person(name: "Bob", born: nil)
    static let cid = Person(name: "Cid", born: 1985)

    static let first = Movie(
        id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, title: "First Light", year: 1999, rating: 7.5,
        genres: [.drama, .scifi], cast: [ann, bob, ann], director: ann, ratings: ["imdb": 7.5, "critics": 8.25],
        poster: Data([0x89, 0x50, 0x4E, 0x47, 0, 255]), released: Date(timeIntervalSince1970: 923_000_000.123_456))
    static let second = Movie(
        id: UUID(uuidString: "00000000-0000-0000-0000-000000000042")!, title: "Second Wind", year: 2001, rating: nil,
        genres: [], cast: [], director: nil, ratings: [:], poster: nil, released: Date(timeIntervalSinceReferenceDate: -1.5))
    static let third = Movie(
        id: UUID(uuidString: "F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F")!, title: "Third Act", year: 2024, rating: 9.0,
        genres: [.comedy], cast: [cid, bob], director: cid, ratings: ["imdb": 6.0], poster: Data(), released: Date())
}

/// Writes one cycle of `values` and returns the blobs, committed.
@discardableResult
func writeCycle<T: Encodable>(_ state: WriteState, _ values: [T]) throws -> CycleBlobs {
    try state.beginCycle()
    try HollowEncoder(state).add(contentsOf: values)
    let blobs = try #require(try state.writeBlobs())
    state.commit()
    return blobs
}
