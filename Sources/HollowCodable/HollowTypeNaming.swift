import HollowCore

/// The schema type name of a Swift type where it is stored as a record: the name that
/// `Schema(deriving:)` gives its type, and the one `HollowEncoder` and `HollowDecoder` look for.
///
/// - scalars: `Long`, `Integer`, `Float`, `Double`, `Boolean`, `String`, `Bytes`, `Date`, `UUID`, `URL`
/// - `[E]`: `ListOf<E>`, `Set<E>`: `SetOf<E>`, `[K: V]`: `MapOf<K>To<V>`, `E?`: `Nullable<E>`
/// - a type adopting `HollowTypeNamed`: its `hollowTypeName`
/// - any other type: its Swift name, generic arguments spelled out (`Box<Int>` is `BoxOfInt`)
enum HollowTypeNaming {
    static func name(of type: Any.Type) -> String {
        if let kind = ScalarKind(type) { return kind.recordName }
        if let optional = type as? any HollowOptionalMarker.Type {
            return "Nullable" + name(of: optional.hollowWrappedType)
        }
        if let collection = type as? any HollowCollectionMarker.Type {
            let components = collection.hollowComponentTypes.map { name(of: $0) }
            return collection.hollowCollectionKind.prefix + components.joined(separator: "To")
        }
        if let named = type as? any HollowTypeNamed.Type { return named.hollowTypeName }
        return identifier(String(describing: type))
    }

    /// A Swift type's description as a schema identifier: `Pair<Int, String>` is `PairOfIntAndString`,
    /// other characters that cannot appear in a name become `_`.
    static func identifier(_ description: String) -> String {
        var result = ""
        for character in description {
            switch character {
            case "<": result += "Of"
            case ">": continue
            case ",":
                result += "And"
            case " ":
                continue
            default:
                if character.isASCII && (character.isLetter || character.isNumber || character == "_") {
                    result.append(character)
                } else {
                    result.append("_")
                }
            }
        }
        return result
    }
}

extension Schema {
    /// The name of the schema type that stores values of `type` (see `Schema(deriving:)`).
    public static func typeName<T>(of type: T.Type) -> String { HollowTypeNaming.name(of: type) }
}
