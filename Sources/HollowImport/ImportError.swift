import HollowCore

/// Why a source file was refused, and where: the file, the line and the column (in bytes, from 1)
/// of the first problem found. Nothing of a refused file should be announced.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// The text is not well-formed for its format: `expected` says what was expected there.
        case malformed(expected: String, found: String)
        /// A key or column names no field of the record's type.
        case unknownField(type: String, field: String)
        /// A value that the field's type cannot hold.
        case wrongType(type: String, field: String, expected: String, found: String)
        /// A field that is not nullable has no value.
        case missingField(type: String, field: String)
        /// A field of the type's primary key has no value.
        case missingPrimaryKey(type: String, field: String)
        /// A record whose primary key an earlier, different record of the same type already has.
        case duplicatePrimaryKey(type: String, key: String, firstFile: String, firstLine: Int)
        /// The same key twice in one JSON object, or the same column twice in a header.
        case repeatedField(type: String, field: String)
        /// The format cannot express a field of the type (a list in a CSV column, say).
        case unsupportedField(type: String, field: String, reason: String)
        /// The type cannot be imported (not in the schema, or not an object type).
        case unknownType(String)
        /// The write state refused the record.
        case refused(WriteError)
        /// A `SourceFile` whose CSV or TSV rows were imported already, its pages given back.
        case sourceAlreadyImported
    }

    public let file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public let line: Int
    /// 1-based byte column; 0 when the problem concerns a whole line or file.
    public let column: Int
    public let problem: Problem

    public init(file: String, line: Int, column: Int, problem: Problem) {
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
    }

    public var location: String {
        switch (line, column) {
        case (0, _): file
        case (_, 0): "\(file):\(line)"
        default: "\(file):\(line):\(column)"
        }
    }

    public var description: String { "\(location): \(problem)" }
}

extension ImportError.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformed(let expected, let found): "expected \(expected), found \(found)"
        case .unknownField(let type, let field): "\(type) has no field '\(field)'"
        case .wrongType(let type, let field, let expected, let found): "\(type).\(field) is \(expected), found \(found)"
        case .missingField(let type, let field): "\(type).\(field) has no value and is not nullable"
        case .missingPrimaryKey(let type, let field): "\(type) record without its primary key field '\(field)'"
        case .duplicatePrimaryKey(let type, let key, let firstFile, let firstLine):
            "\(type) primary key \(key) was already given, differently, at \(firstFile):\(firstLine)"
        case .repeatedField(let type, let field): "\(type).\(field) is given twice"
        case .unsupportedField(let type, let field, let reason): "\(type).\(field): \(reason)"
        case .unknownType(let name): "the schema has no object type '\(name)'"
        case .refused(let error): error.description
        case .sourceAlreadyImported: "the file was imported once already and its memory given back: read it again to import it again"
        }
    }
}
