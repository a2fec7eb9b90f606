import HollowCore

/// An object type of a read state with its field handles by name, resolved once. A class, so that
/// the decoders and containers that pass it around copy one reference.
final class ObjectTable: Sendable {
    let reader: ObjectTypeReadState
    let fields: [String: FieldHandle]

    init(_ reader: ObjectTypeReadState) {
        self.reader = reader
        fields = Dictionary(reader.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The readers of every type of a read state, resolved once and shared by all the decodes of a
/// `HollowDecoder`.
struct ReadTables: Sendable {
    let objects: [String: ObjectTable]
    let lists: [String: ListTypeReadState]
    let hashed: [String: HashedCollectionReadState]

    init(_ state: ReadState) {
        var objects: [String: ObjectTable] = [:]
        var lists: [String: ListTypeReadState] = [:]
        var hashed: [String: HashedCollectionReadState] = [:]
        for type in state.schema.types {
            switch type {
            case .object: objects[type.name] = state.objectType(type.name).map(ObjectTable.init)
            case .list: lists[type.name] = state.listType(type.name)
            case .set, .map: hashed[type.name] = state.hashedType(type.name)
            }
        }
        self.objects = objects
        self.lists = lists
        self.hashed = hashed
    }
}
