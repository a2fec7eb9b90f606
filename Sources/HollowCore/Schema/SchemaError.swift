/// A schema that cannot be used, with where and why.
public enum SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text form could not be parsed: 1-based line and column of the offending token.
    case syntax(line: Int, column: Int, message: String)
    /// The schema is well formed but not valid (a missing type, a duplicate name, a cycle...).
    case invalid(type: String, field: String?, message: String)
    /// A type changed between two states in a way that a delta cannot carry.
    case incompatibleChange(type: String, field: String?, message: String)

    public var description: String {
        switch self {
        case .syntax(let line, let column, let message):
            "schema syntax error at line \(line), column \(column): \(message)"
        case .invalid(let type, let field, let message):
            "invalid schema: \(type)\(field.map { ".\($0)" } ?? ""): \(message)"
        case .incompatibleChange(let type, let field, let message):
            "incompatible schema change: \(type)\(field.map { ".\($0)" } ?? ""): \(message)"
        }
    }
}
