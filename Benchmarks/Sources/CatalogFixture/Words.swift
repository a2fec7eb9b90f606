/// Word lists the generator draws names and titles from.
enum Words {
    static let genres = [
        "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama", "Family",
        "Fantasy", "Film Noir", "History", "Horror", "Musical", "Mystery", "Romance", "Science Fiction",
        "Sport", "Thriller", "Western",
    ]

    static let firstNames = [
        "Maria", "John", "Anna", "James", "Sofia", "Robert", "Emma", "Michael", "Olivia", "David", "Ingrid", "William",
        "Amelia", "Richard", "Isabella", "Joseph", "Mia", "Thomas", "Charlotte", "Charles", "Harper", "Daniel",
        "Evelyn", "Matthew", "Abigail", "Anthony", "Emily", "Mark", "Elizabeth", "Donald", "Mila", "Steven", "Ella",
        "Paul", "Avery", "Andrew", "Camila", "Joshua", "Aria", "Kenneth", "Scarlett", "Kevin", "Victoria", "Brian",
        "Madison", "George", "Luna", "Timothy", "Grace", "Ronald", "Chloe", "Edward", "Penelope", "Jason", "Layla",
        "Jeffrey", "Riley", "Ryan", "Zoey", "Jacob", "Nora", "Gary", "Lily", "Nicholas",
    ]

    static let lastNames = [
        "Lindqvist", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
        "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
        "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
        "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
        "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood",
        "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel",
        "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell",
        "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan",
        "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole",
        "Hayes",
    ]

    static let titleWords = [
        "The", "Last", "Night", "City", "of", "Dreams", "Return", "Shadow", "River", "Silent", "Storm", "Golden",
        "Road", "Lost", "Kingdom", "Winter", "Summer", "Fire", "Ice", "Secret", "Garden", "Dark", "Star", "Ocean",
        "Empire", "Broken", "Heart", "Island", "Journey", "Home", "Forgotten", "Love", "War", "Blood", "Moon",
        "Sun", "Edge", "World", "Hidden", "Truth", "Midnight", "Express", "Wild", "West", "North", "South", "Red",
        "Blue", "Black", "White", "House", "Mountain", "Valley", "Bridge", "Over", "Under", "Beyond", "Time",
        "Machine", "Ghost", "Story", "Legend", "Hunter", "Queen", "King", "Prince", "Thief", "Detective", "Murder",
        "Mystery", "Train", "Station", "Harbor", "Letters", "from", "Paris", "Tokyo", "Berlin", "Rome", "Cairo",
        "Echoes", "Whispers", "Rain", "Thunder", "Glass", "Iron", "Steel", "Silver", "Crimson", "Velvet", "Paper",
        "Moonlight", "Sonata", "Symphony", "Dance", "Song", "Final", "First", "Second", "Chance", "Fortune",
        "Eleven", "Seven", "Hundred", "Thousand", "Years", "Days", "Hours", "Minutes", "Memory", "Dream",
        "Escape", "Rising", "Falling", "Angel", "Devil", "Saint", "Sinner", "Road", "Trip", "Voyage", "Dawn",
        "Dusk", "Twilight", "Horizon", "Frontier", "Desert", "Jungle", "Forest", "Wolf", "Eagle", "Tiger", "Dragon",
    ]

    /// A unique name for person `index`: first name, middle initial, last name, spread over the
    /// combinations by a multiplicative permutation so that neighbouring ordinals look unrelated.
    static func personName(_ index: Int) -> String {
        let combinations = firstNames.count * 26 * lastNames.count
        let combo = (index % combinations) &* 104_729 % combinations  // 104729 is prime, coprime to the count
        let first = firstNames[combo % firstNames.count]
        let initial = Character(Unicode.Scalar(UInt8(65 + (combo / firstNames.count) % 26)))
        let last = lastNames[combo / (firstNames.count * 26)]
        let round = index / combinations
        return round == 0 ? "\(first) \(initial). \(last)" : "\(first) \(initial). \(last) \(round + 1)"
    }

    /// A title of 15 to 40 characters.
    static func title(_ random: inout SplitMix64) -> String {
        let target = 15 + random.below(26)
        var title = titleWords[random.below(titleWords.count)]
        while title.utf8.count < target {
            let word = titleWords[random.below(titleWords.count)]
            if title.utf8.count + 1 + word.utf8.count > 40 { break }
            title += " " + word
        }
        while title.utf8.count < 15 { title += " II" }
        return title
    }
}
