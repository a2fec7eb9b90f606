import HollowCore

/// Fails when a type that the sources feed (an object type no other type refers to) had records
/// and would have none: an empty source file or a source left out, not a real change. Every
/// producer runs it before its own validators; `Producer.Configuration.allowEmptyTypes` names the
/// types that may be emptied on purpose.
public struct EmptiedTypeValidator: Validator {
    /// Types that may go from some records to none.
    public let allowed: Set<String>

    public init(allowing allowed: Set<String> = []) {
        self.allowed = allowed
    }

    public var name: String { "no type emptied" }

    public func validate(_ context: ValidationContext) -> ValidationResult {
        guard let previous = context.previousState else { return .passed }
        let schema = context.state.schema
        let referenced = Set(schema.types.flatMap(\.referencedTypes))
        let emptied = schema.types.compactMap { type -> String? in
            guard case .object = type, !referenced.contains(type.name), !allowed.contains(type.name),
                  previous.schema[type.name] != nil, previous.recordCount(type.name) > 0,
                  context.state.recordCount(type.name) == 0 else { return nil }
            return type.name
        }
        guard !emptied.isEmpty else { return .passed }
        let counts = emptied.map { "\($0) had \(previous.recordCount($0)) records" }.joined(separator: ", ")
        return .failed("\(counts) in version \(context.previousVersion.map(String.init) ?? "?") and would have none "
            + "(an empty source file, or a source left out?); if that is meant, allow it for this cycle: "
            + emptied.map { "--allow-empty \($0)" }.joined(separator: " ") + " (Producer.Configuration.allowEmptyTypes)")
    }
}
