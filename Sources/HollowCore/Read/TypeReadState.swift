/// The storage of one type in a read state, with what the delta that made it changed.
final class TypeReadState: Sendable {
    let schema: TypeSchema
    let plan: TypePlan
    let data: TypeData
    /// Ordinals removed and added by the delta that produced this state, when it came from a delta
    /// that touched this type; nil when the type was loaded whole.
    let changes: TypeChanges?

    init(schema: TypeSchema, plan: TypePlan, data: TypeData, changes: TypeChanges?) {
        self.schema = schema
        self.plan = plan
        self.data = data
        self.changes = changes
        // Published: from here on nobody writes this storage (validation only reads it).
        data.freezeStorage()
    }
}
