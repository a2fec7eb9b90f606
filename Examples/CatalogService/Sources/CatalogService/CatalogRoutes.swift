import Hollow
import HollowCore
import Hummingbird

/// `/movies/{id}` (by primary key) and `/movies?year=Y` or `/movies?director=NAME` (by hash
/// index), as JSON. Each request takes the state served now once (`consumer.current`) and reads
/// everything from it, so an answer never mixes two versions.
struct CatalogRoutes: Sendable {
    let consumer: Consumer

    func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let consumer = consumer
        routes.get("movies/:id") { _, context -> Movie in
            let state = try Self.served(consumer)
            let id = try context.parameters.require("id", as: Int64.self)
            guard let ordinal = state.primaryKeyIndex("Movie")?.ordinal(id), let movie = Movie(state.readState, ordinal: ordinal) else {
                throw HTTPError(.notFound, message: "no movie \(id) in version \(state.version)")
            }
            return movie
        }
        routes.get("movies") { request, _ -> Movies in
            let state = try Self.served(consumer)
            let matches: HashIndex.Matches
            if let year = request.uri.queryParameters.get("year") {
                guard let year = Int32(year) else { throw HTTPError(.badRequest, message: "year must be a number") }
                matches = try Self.index("MoviesByYear", state).ordinals(year)
            } else if let director = request.uri.queryParameters.get("director") {
                matches = try Self.index("MoviesByDirector", state).ordinals(director)
            } else {
                throw HTTPError(.badRequest, message: "ask for ?year=YEAR or ?director=NAME")
            }
            let movies = matches.sorted().compactMap { Movie(state.readState, ordinal: $0) }
            return Movies(version: state.version, movies: movies)
        }
        return routes
    }

    /// A hash index the consumer keeps; absent when the version served has no `Movie` type (a
    /// service answers that, it does not crash).
    private static func index(_ name: String, _ state: ConsumerState) throws -> HashIndex {
        guard let index = state.hashIndex(name) else {
            throw HTTPError(.serviceUnavailable, message: "version \(state.version) has no \(name) index")
        }
        return index
    }

    private static func served(_ consumer: Consumer) throws -> ConsumerState {
        guard let state = consumer.current else { throw HTTPError(.serviceUnavailable, message: "no version served yet") }
        return state
    }
}

/// The answer of a query: the version it was read from, and the movies in ordinal order.
struct Movies: ResponseCodable {
    var version: UInt64
    var movies: [Movie]
}

extension Movie: ResponseCodable {}
