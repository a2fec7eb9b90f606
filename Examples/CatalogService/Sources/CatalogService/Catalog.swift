import Hollow
import HollowCore

/// What the service reads of the catalog's schema (fixtures/catalog/*/catalog.schema): the
/// indexes it asks the consumer for, and a movie as the JSON it answers.
enum Catalog {
    static let indexes: [IndexDefinition] = [
        .primaryKey("Movie"),                                            // key(id) in the schema
        .hash("MoviesByYear", type: "Movie", fields: ["year"]),
        .hash("MoviesByDirector", type: "Movie", fields: ["director.name"]),
    ]
}

/// A movie as the service answers it.
struct Movie: Codable, Sendable {
    var id: Int64
    var title: String
    var year: Int32
    var runtime: Int32?
    var director: String?
    var cast: [String]
    var genres: [String]
    var language: String?

    /// The movie at `ordinal` of `state`; nil when the state has no such record or its schema
    /// lacks a field the service needs.
    init?(_ state: ReadState, ordinal: Int) {
        guard let movies = state.objectType("Movie"), movies.isPopulated(ordinal),
              let id = movies.field("id").flatMap({ movies.long(ordinal, $0) }),
              let title = movies.field("title").flatMap({ movies.string(ordinal, $0) }),
              let year = movies.field("year").flatMap({ movies.int(ordinal, $0) }) else { return nil }
        self.id = id
        self.title = title
        self.year = year
        runtime = movies.field("runtime").flatMap { movies.int(ordinal, $0) }
        // Fields added later (language, in version 3) are read when the version has them.
        language = movies.field("language").flatMap { movies.string(ordinal, $0) }
        let people = state.objectType("Person")
        let name = people?.field("name")
        func personName(_ person: Int?) -> String? {
            guard let person, let people, let name else { return nil }
            return people.string(person, name)
        }
        director = personName(movies.field("director").flatMap { movies.reference(ordinal, $0) })
        let castList = movies.field("cast").flatMap { movies.reference(ordinal, $0) }
        cast = castList.map { list in
            guard let lists = state.listType("Cast") else { return [] }
            return (0..<lists.count(list)).compactMap { personName(lists.element(list, at: $0)) }
        } ?? []
        let genreSet = movies.field("genres").flatMap { movies.reference(ordinal, $0) }
        let genreNames = state.objectType("Genre")
        genres = genreSet.map { set in
            guard let sets = state.hashedType("Genres"), let genreNames, let field = genreNames.field("name") else { return [] }
            return sets.elements(set).compactMap { genreNames.string($0, field) }.sorted()
        } ?? []
    }
}
