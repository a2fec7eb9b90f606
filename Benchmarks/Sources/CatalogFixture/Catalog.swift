/// A deterministic movie catalog: the dataset every benchmark of this package works on.
///
/// - 20 genres;
/// - `personCount` people (name like "Maria K. Lindqvist", unique; birth year, 5% unknown);
/// - `movieCount` movies: a sparse `id`, a title of 15 to 40 characters, a year, a rating (10% null),
///   a set of 1 to 3 genres, a cast list of 3 to 8 people and a director (8% null). Popular people
///   and genres come up more often than others, as they do in a real catalog.
///
/// The same parameters always give the same catalog, on every machine: the generator uses its own
/// SplitMix64, never the system's random numbers.
public struct Catalog: Sendable {
    public struct Person: Sendable, Equatable {
        public var name: String
        public var born: Int32?
    }

    public struct Movie: Sendable, Equatable {
        public var id: Int64
        public var title: String
        public var year: Int32
        public var rating: Double?
        /// Indexes into `Catalog.genres`, distinct.
        public var genres: [Int]
        /// Indexes into `Catalog.people`, distinct, in billing order.
        public var cast: [Int]
        /// An index into `Catalog.people`.
        public var director: Int?
    }

    public let parameters: CatalogParameters
    public let genres: [String]
    public let people: [Person]
    public internal(set) var movies: [Movie]
    /// The next free movie id (ids grow as movies are added).
    public internal(set) var nextID: Int64

    /// Generates the catalog of the first cycle.
    /// `base`'s people and genres with `movies` only (a baseline built for the movies a cycle changed).
    public init(changing base: Catalog, movies: [Movie]) {
        parameters = base.parameters
        genres = base.genres
        people = base.people
        self.movies = movies
        nextID = base.nextID
    }

    public init(_ parameters: CatalogParameters) {
        self.parameters = parameters
        var random = SplitMix64(seed: parameters.seed)
        genres = Words.genres
        people = (0..<parameters.personCount).map { index in
            Person(name: Words.personName(index), born: random.chance(0.05) ? nil : Int32(1900 + random.below(105)))
        }
        var id: Int64 = 100_000
        var movies: [Movie] = []
        movies.reserveCapacity(parameters.movieCount)
        for _ in 0..<parameters.movieCount {
            id += 1 + Int64(random.below(3))
            movies.append(Catalog.movie(id: id, personCount: parameters.personCount, &random))
        }
        self.movies = movies
        nextID = id + 1
    }

    static func movie(id: Int64, personCount: Int, _ random: inout SplitMix64) -> Movie {
        Movie(id: id,
              title: Words.title(&random),
              year: year(&random),
              rating: random.chance(0.10) ? nil : Double(10 + random.below(90)) / 10,
              genres: distinct(1 + random.below(3), below: Words.genres.count, skew: 1.5, &random),
              cast: distinct(3 + random.below(6), below: personCount, skew: 2.0, &random),
              director: random.chance(0.08) ? nil : skewed(below: personCount, skew: 1.5, &random))
    }

    /// Years 1920 to 2025, recent ones more likely.
    static func year(_ random: inout SplitMix64) -> Int32 {
        2025 - Int32(skewed(below: 106, skew: 2.0, &random))
    }

    /// An index below `bound`, low ones more likely (`skew` 1 is uniform).
    static func skewed(below bound: Int, skew: Double, _ random: inout SplitMix64) -> Int {
        let unit = Double(random.next() >> 11) / Double(1 << 53)
        var pow = unit
        if skew == 2 { pow = unit * unit } else if skew != 1 { pow = Catalog.power(unit, skew) }
        return min(bound - 1, Int(pow * Double(bound)))
    }

    private static func power(_ base: Double, _ exponent: Double) -> Double {
        // x^1.5 without Foundation.
        exponent == 1.5 ? base * base.squareRoot() : base
    }

    static func distinct(_ count: Int, below bound: Int, skew: Double, _ random: inout SplitMix64) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        while result.count < count {
            let candidate = skewed(below: bound, skew: skew, &random)
            if !result.contains(candidate) { result.append(candidate) }
        }
        return result
    }
}

/// What the sizes and the seed of a catalog are.
public struct CatalogParameters: Sendable, Hashable, CustomStringConvertible {
    public var movieCount: Int
    public var personCount: Int
    public var seed: UInt64
    /// The share of movies a change touches (one third removed, one third modified, one third added).
    public var changeFraction: Double

    public init(movieCount: Int = 1_000_000, personCount: Int = 200_000, seed: UInt64 = 0x486F_6C6C_6F77, changeFraction: Double = 0.01) {
        self.movieCount = movieCount
        self.personCount = personCount
        self.seed = seed
        self.changeFraction = changeFraction
    }

    /// The main runs: 1,000,000 movies, 200,000 people, 1% change. `HOLLOW_BENCH_MOVIES` and
    /// `HOLLOW_BENCH_PEOPLE` override the sizes (for quick local runs).
    public static var fromEnvironment: CatalogParameters {
        var parameters = CatalogParameters()
        if let text = Environment.value("HOLLOW_BENCH_MOVIES"), let count = Int(text), count > 0 { parameters.movieCount = count }
        if let text = Environment.value("HOLLOW_BENCH_PEOPLE"), let count = Int(text), count > 0 { parameters.personCount = count }
        return parameters
    }

    public var description: String {
        "m\(movieCount)-p\(personCount)-s\(String(seed, radix: 16))-c\(Int(changeFraction * 10_000))"
    }
}

/// What one change did to the movies.
public struct CatalogChange: Sendable, Equatable {
    public var removed: Int
    public var modified: Int
    public var added: Int
    public var touched: Int { removed + modified + added }
}

extension Catalog {
    /// The dataset of the next cycle: `changeFraction` of the movies touched, one third removed,
    /// one third modified (title, rating, year or one cast member), one third added with new ids.
    /// People and genres stay. Deterministic for a given catalog and `cycle`.
    public func nextCycle(cycle: UInt64 = 1) -> (Catalog, CatalogChange) {
        var random = SplitMix64(seed: parameters.seed ^ (0x9E37_79B9_7F4A_7C15 &* (cycle &+ 1)))
        let touched = max(3, Int((Double(movies.count) * parameters.changeFraction).rounded()))
        let removeCount = touched / 3
        let modifyCount = touched / 3
        let addCount = touched - removeCount - modifyCount
        // Pick distinct movies to remove and to modify.
        var picked = Set<Int>()
        var toRemove: [Int] = []
        var toModify: [Int] = []
        while toRemove.count < removeCount || toModify.count < modifyCount {
            let index = random.below(movies.count)
            guard picked.insert(index).inserted else { continue }
            if toRemove.count < removeCount { toRemove.append(index) } else { toModify.append(index) }
        }
        var next = self
        for index in toModify {
            var movie = next.movies[index]
            switch random.below(4) {
            case 0: movie.title = Words.title(&random)
            case 1: movie.rating = Double(10 + random.below(90)) / 10
            case 2: movie.year = movie.year == 2025 ? 2024 : movie.year + 1
            default:
                let position = random.below(movie.cast.count)
                var replacement = Catalog.skewed(below: people.count, skew: 2.0, &random)
                while movie.cast.contains(replacement) { replacement = (replacement + 1) % people.count }
                movie.cast[position] = replacement
            }
            next.movies[index] = movie
        }
        let removed = Set(toRemove)
        next.movies = next.movies.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        for _ in 0..<addCount {
            next.movies.append(Catalog.movie(id: next.nextID, personCount: people.count, &random))
            next.nextID += 1 + Int64(random.below(3))
        }
        return (next, CatalogChange(removed: removeCount, modified: modifyCount, added: addCount))
    }
}

/// SplitMix64: small, fast and the same everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// A value in `0..<bound` (bound > 0); the tiny modulo bias does not matter here.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }
}
