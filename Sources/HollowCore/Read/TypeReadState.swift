/// The storage of one type in a read state, with what the delta that made it changed.
final class TypeReadState: Sendable {
    let schema: TypeSchema
    let plan: TypePlan
    let data: TypeShards
    /// Where each shard of `data` lies, for the read path.
    let table: ShardTable
    /// Ordinals removed and added by the delta that produced this state, when it came from a delta
    /// that touched this type; nil when the type was loaded whole.
    let changes: TypeChanges?
    /// An object type's field handles, made once: `ReadState.objectType(_:)` is called for
    /// every request by many services, and made them (an array and a handle a field) each time.
    let fieldHandles: [FieldHandle]

    /// The schema of an object type, nil for a collection type.
    var objectSchema: ObjectSchema? {
        guard case .object(let object) = schema else { return nil }
        return object
    }

    init(schema: TypeSchema, plan: TypePlan, data: TypeShards, changes: TypeChanges?) {
        self.schema = schema
        self.plan = plan
        self.data = data
        self.changes = changes
        let table = ShardTable(data)
        self.table = table
        if case .object(let object) = schema {
            fieldHandles = object.fields.enumerated().map { index, field in
                FieldHandle(schema: field, index: index, slot: plan.fields[index], table: table)
            }
        } else {
            fieldHandles = []
        }
        // Published: from here on nobody writes this storage (validation only reads it).
        data.freezeStorage()
    }

    /// A type read whole, as one shard (a writer's own storage, or a state loaded unsplit).
    convenience init(schema: TypeSchema, plan: TypePlan, data: TypeData, changes: TypeChanges?) {
        self.init(schema: schema, plan: plan, data: TypeShards(whole: data), changes: changes)
    }
}
