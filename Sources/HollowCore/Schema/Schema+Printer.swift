extension Schema: CustomStringConvertible {
    /// The canonical text form: parsing it gives back an equal schema. Blobs carry their schema in
    /// this form.
    public var description: String {
        var text = ""
        for type in types {
            switch type {
            case .object(let object):
                text += "type \(object.name)"
                if let key = object.primaryKey { text += " key(\(key.joined(separator: ", ")))" }
                text += " {\n"
                for field in object.fields {
                    text += "    \(field.name): \(field.type)\(field.isNullable ? "?" : "")\n"
                }
                text += "}\n"
            case .list(let name, let element): text += "list \(name) of \(element)\n"
            case .set(let name, let element): text += "set \(name) of \(element)\n"
            case .map(let name, let key, let value): text += "map \(name) of \(key) to \(value)\n"
            }
        }
        return text
    }
}
