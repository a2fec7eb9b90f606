import Atomics
import HollowCore

/// The configured indexes of one state, followed from state to state.
struct ConsumerIndexes: Sendable {
    var primaryKey: [String: PrimaryKeyIndex] = [:]
    var hash: [String: HashIndex] = [:]

    /// These indexes for `state`: updated from the delta when `state` follows theirs, built
    /// otherwise. An index whose type is not in `state` is left out.
    func following(_ definitions: [IndexDefinition], to state: ReadState) throws(RefreshError) -> ConsumerIndexes {
        var next = ConsumerIndexes()
        for definition in definitions where state.objectType(definition.type) != nil {
            do throws(IndexError) {
                switch definition.kind {
                case .primaryKey:
                    if let index = primaryKey[definition.name] {
                        next.primaryKey[definition.name] = try index.updated(to: state)
                    } else {
                        next.primaryKey[definition.name] = try PrimaryKeyIndex(state, type: definition.type, fields: definition.fields)
                    }
                case .hash:
                    if let index = hash[definition.name] {
                        next.hash[definition.name] = try index.updated(to: state)
                    } else {
                        next.hash[definition.name] = try HashIndex(state, type: definition.type, fields: definition.fields ?? [])
                    }
                }
            } catch {
                throw .index(name: definition.name, error)
            }
        }
        return next
    }
}

extension ConsumerIndexes {
    /// The indexes of a state image for `definitions`: the image's own where it holds one of the
    /// same name, kind, type and key, built otherwise.
    init(image: StateImage, definitions: [IndexDefinition]) throws(RefreshError) {
        var kept = ConsumerIndexes()
        for definition in definitions {
            let fields = definition.fields ?? image.state.schema.object(definition.type)?.primaryKey
            switch definition.kind {
            case .primaryKey:
                if let index = image.primaryKeyIndexes[definition.name], index.type == definition.type, index.fields == fields {
                    kept.primaryKey[definition.name] = index
                }
            case .hash:
                if let index = image.hashIndexes[definition.name], index.type == definition.type, index.fields == fields {
                    kept.hash[definition.name] = index
                }
            }
        }
        self = try kept.following(definitions, to: image.state)
    }
}
