/// The baseline a Swift user would write instead of Hollow: plain structs in a `Dictionary` keyed by
/// id. The types are what a typical user writes: `String` fields, `Int` for years, a `Set<String>`
/// of genre names, the cast as an array of `Person` structs.
///
/// The people are made once and the same `Person` values are put in every movie they play in, so
/// their names are shared `String` storage (reference counted), not copies: the baseline that
/// costs least memory for a user to write. A user decoding JSON would get a copy of every name
/// in every movie instead, and use more.
public struct PersonStruct: Hashable, Sendable, Codable {
    public let name: String
    public let birthYear: Int?
}

public struct MovieStruct: Sendable, Codable {
    public let id: Int64
    public let title: String
    public let year: Int
    public let rating: Double?
    public let genres: Set<String>
    public let cast: [PersonStruct]
    public let director: PersonStruct?
}

public enum DictionaryBaseline {
    public static func build(_ catalog: Catalog) -> [Int64: MovieStruct] {
        let people = catalog.people.map { PersonStruct(name: $0.name, birthYear: $0.born.map(Int.init)) }
        var movies: [Int64: MovieStruct] = [:]
        for movie in catalog.movies {
            movies[movie.id] = MovieStruct(
                id: movie.id,
                title: movie.title,
                year: Int(movie.year),
                rating: movie.rating,
                genres: Set(movie.genres.map { catalog.genres[$0] }),
                cast: movie.cast.map { people[$0] },
                director: movie.director.map { people[$0] })
        }
        return movies
    }
}
