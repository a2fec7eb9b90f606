/// One type of a schema. Elements of lists and sets, and keys and values of maps, are references
/// (ordinals) to other types, so that a value shared by many records is stored once.
public enum TypeSchema: Hashable, Sendable {
    case object(ObjectSchema)
    case list(name: String, element: String)
    case set(name: String, element: String)
    case map(name: String, key: String, value: String)

    public var name: String {
        switch self {
        case .object(let object): object.name
        case .list(let name, _), .set(let name, _), .map(let name, _, _): name
        }
    }

    /// The types this one refers to.
    public var referencedTypes: [String] {
        switch self {
        case .object(let object):
            object.fields.compactMap { if case .reference(let target) = $0.type { target } else { nil } }
        case .list(_, let element), .set(_, let element): [element]
        case .map(_, let key, let value): [key, value]
        }
    }

    public var kindName: String {
        switch self {
        case .object: "object"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        }
    }
}
