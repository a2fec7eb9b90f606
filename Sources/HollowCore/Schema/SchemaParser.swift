extension Schema {
    /// Parses the text form of a schema (<doc:SchemaTextForm>):
    ///
    ///     # a comment
    ///     type Movie key(id) {
    ///         id: long
    ///         title: string
    ///         director: Person?
    ///         genres: Genres
    ///     }
    ///     set Genres of Genre
    ///     list Cast of Person
    ///     map Ratings of Source to Score
    ///
    /// Errors carry the 1-based line and column of the token that could not be used
    /// (``SchemaError/syntax(line:column:message:)``); a text that is well formed but breaks a rule
    /// of the schema is reported at the declaration of the type concerned.
    public init(parsing text: String) throws(SchemaError) {
        var parser = SchemaParser(text)
        let types = try parser.parseTypes()
        do {
            try self.init(types)
        } catch {
            // Point validation errors at the declaration they concern.
            if case .invalid(let type, let field, let message) = error, let at = parser.declarations[type] {
                throw .syntax(line: at.line, column: at.column, message: "\(type)\(field.map { ".\($0)" } ?? ""): \(message)")
            }
            throw error
        }
    }
}

struct SchemaParser {
    enum Token: Equatable {
        case word(String)
        case symbol(UInt8)
        case end
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    private var peeked: (token: Token, line: Int, column: Int)?
    private(set) var declarations: [String: (line: Int, column: Int)] = [:]

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func parseTypes() throws(SchemaError) -> [TypeSchema] {
        var types: [TypeSchema] = []
        while true {
            let (token, line, column) = try next()
            switch token {
            case .end: return types
            case .word("type"): types.append(try parseObject())
            case .word("list"):
                let name = try declare()
                try expectWord("of")
                types.append(.list(name: name, element: try identifier("an element type")))
            case .word("set"):
                let name = try declare()
                try expectWord("of")
                types.append(.set(name: name, element: try identifier("an element type")))
            case .word("map"):
                let name = try declare()
                try expectWord("of")
                let key = try identifier("a key type")
                try expectWord("to")
                types.append(.map(name: name, key: key, value: try identifier("a value type")))
            default:
                throw .syntax(line: line, column: column, message: "expected 'type', 'list', 'set' or 'map', found \(describe(token))")
            }
        }
    }

    private mutating func parseObject() throws(SchemaError) -> TypeSchema {
        let name = try declare()
        var primaryKey: [String]?
        if try peek() == .word("key") {
            _ = try next()
            try expectSymbol("(")
            var paths: [String] = []
            repeat {
                var path = try identifier("a key field")
                while try peek() == .symbol(UInt8(ascii: ".")) {
                    _ = try next()
                    path += "." + (try identifier("a field name after '.'"))
                }
                paths.append(path)
            } while try accept(",")
            try expectSymbol(")")
            primaryKey = paths
        }
        try expectSymbol("{")
        var fields: [FieldSchema] = []
        while try !accept("}") {
            let fieldName = try identifier("a field name or '}'")
            try expectSymbol(":")
            let typeName = try identifier("a field type")
            let nullable = try accept("?")
            let type: FieldType = switch typeName {
            case "int": .int
            case "long": .long
            case "float": .float
            case "double": .double
            case "bool": .bool
            case "string": .string
            case "bytes": .bytes
            default: .reference(typeName)
            }
            fields.append(FieldSchema(fieldName, type, nullable: nullable))
        }
        return .object(ObjectSchema(name, fields: fields, primaryKey: primaryKey))
    }

    private mutating func declare() throws(SchemaError) -> String {
        let (token, line, column) = try next()
        guard case .word(let name) = token, !SchemaParser.keywords.contains(name) else {
            throw .syntax(line: line, column: column, message: "expected a type name, found \(describe(token))")
        }
        // A second declaration is reported where it is, not at the first one.
        if declarations[name] != nil {
            throw .syntax(line: line, column: column, message: "\(name): the type is declared twice")
        }
        declarations[name] = (line, column)
        return name
    }

    private static let keywords: Set<String> = ["type", "list", "set", "map", "key", "of", "to"]

    private mutating func identifier(_ expected: String) throws(SchemaError) -> String {
        let (token, line, column) = try next()
        guard case .word(let word) = token else {
            throw .syntax(line: line, column: column, message: "expected \(expected), found \(describe(token))")
        }
        return word
    }

    private mutating func expectWord(_ word: String) throws(SchemaError) {
        let (token, line, column) = try next()
        guard token == .word(word) else {
            throw .syntax(line: line, column: column, message: "expected '\(word)', found \(describe(token))")
        }
    }

    private mutating func expectSymbol(_ symbol: Unicode.Scalar) throws(SchemaError) {
        let (token, line, column) = try next()
        guard token == .symbol(UInt8(ascii: symbol)) else {
            throw .syntax(line: line, column: column, message: "expected '\(symbol)', found \(describe(token))")
        }
    }

    private mutating func accept(_ symbol: Unicode.Scalar) throws(SchemaError) -> Bool {
        guard try peek() == .symbol(UInt8(ascii: symbol)) else { return false }
        _ = try next()
        return true
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let word): "'\(word)'"
        case .symbol(let byte): "'\(Character(Unicode.Scalar(byte)))'"
        case .end: "the end of the schema"
        }
    }

    private mutating func peek() throws(SchemaError) -> Token {
        if peeked == nil { peeked = try scan() }
        return peeked!.token
    }

    private mutating func next() throws(SchemaError) -> (Token, Int, Int) {
        if let token = peeked {
            peeked = nil
            return (token.token, token.line, token.column)
        }
        let token = try scan()
        return (token.token, token.line, token.column)
    }

    private mutating func scan() throws(SchemaError) -> (token: Token, line: Int, column: Int) {
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\n") {
                offset += 1
                line += 1
                lineStart = offset
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ";") {
                offset += 1
            } else if byte == UInt8(ascii: "#") {
                while offset < bytes.count && bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
            } else {
                break
            }
        }
        let column = offset - lineStart + 1
        guard offset < bytes.count else { return (.end, line, column) }
        let byte = bytes[offset]
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x5F || (byte >= 0x30 && byte <= 0x39)
        }
        if isWordByte(byte) {
            let start = offset
            while offset < bytes.count && isWordByte(bytes[offset]) { offset += 1 }
            return (.word(String(decoding: bytes[start..<offset], as: UTF8.self)), line, column)
        }
        if "{}():,?.".utf8.contains(byte) {
            offset += 1
            return (.symbol(byte), line, column)
        }
        throw .syntax(line: line, column: column, message: "unexpected character '\(String(decoding: [byte], as: UTF8.self))'")
    }
}
