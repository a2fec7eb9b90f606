import HollowCore

/// How the Codable mapping recognises, by type at the call site, the standard library types it maps
/// itself instead of asking them to encode or decode: `Optional`, `Array`, `Set` and `Dictionary`
/// (whatever their own `Codable` does, an array is a list type, a dictionary a map type), and
/// raw-value types. Elements are visited through generic callbacks, so that no element is boxed.

/// The kind of schema type a Swift collection maps to.
enum HollowCollectionKind: Sendable {
    case list, set, map

    var prefix: String {
        switch self {
        case .list: "ListOf"
        case .set: "SetOf"
        case .map: "MapOf"
        }
    }
}

protocol HollowOptionalMarker {
    static var hollowWrappedType: Any.Type { get }
}

protocol HollowCollectionMarker {
    static var hollowCollectionKind: HollowCollectionKind { get }
    /// The element type, or the key and value types of a map.
    static var hollowComponentTypes: [Any.Type] { get }
}

extension Optional: HollowOptionalMarker {
    static var hollowWrappedType: Any.Type { Wrapped.self }
}

extension Array: HollowCollectionMarker {
    static var hollowCollectionKind: HollowCollectionKind { .list }
    static var hollowComponentTypes: [Any.Type] { [Element.self] }
}

extension Set: HollowCollectionMarker {
    static var hollowCollectionKind: HollowCollectionKind { .set }
    static var hollowComponentTypes: [Any.Type] { [Element.self] }
}

extension Dictionary: HollowCollectionMarker {
    static var hollowCollectionKind: HollowCollectionKind { .map }
    static var hollowComponentTypes: [Any.Type] { [Key.self, Value.self] }
}

// MARK: Decoding

/// Hands out the elements (or entries) of one stored collection, decoded as the Swift types asked.
protocol HollowElementSource {
    var count: Int { get }
    mutating func next<E: Decodable>(_ type: E.Type) throws -> E
    mutating func nextEntry<K: Decodable, V: Decodable>(_ key: K.Type, _ value: V.Type) throws -> (K, V)
}

protocol HollowDecodableOptional: HollowOptionalMarker {
    static var hollowWrappedDecodable: any Decodable.Type { get }
    static var hollowNone: Self { get }
    /// `.some(value)`; `value` is of the wrapped type.
    static func hollowSome(_ value: Any) -> Self
}

protocol HollowDecodableCollection: HollowCollectionMarker {
    static var hollowDecodableComponents: [any Decodable.Type] { get }
    static var hollowEmpty: Self { get }
    static func hollowDecode<S: HollowElementSource>(from source: inout S) throws -> Self
}

extension Optional: HollowDecodableOptional where Wrapped: Decodable {
    static var hollowWrappedDecodable: any Decodable.Type { Wrapped.self }
    static var hollowNone: Self { nil }
    static func hollowSome(_ value: Any) -> Self { .some(value as! Wrapped) }
}

extension Array: HollowDecodableCollection where Element: Decodable {
    static var hollowDecodableComponents: [any Decodable.Type] { [Element.self] }
    static var hollowEmpty: Self { [] }
    static func hollowDecode<S: HollowElementSource>(from source: inout S) throws -> Self {
        let count = source.count
        var result: [Element] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try source.next(Element.self)) }
        return result
    }
}

extension Set: HollowDecodableCollection where Element: Decodable {
    static var hollowDecodableComponents: [any Decodable.Type] { [Element.self] }
    static var hollowEmpty: Self { [] }
    static func hollowDecode<S: HollowElementSource>(from source: inout S) throws -> Self {
        let count = source.count
        var result = Set<Element>(minimumCapacity: count)
        for _ in 0..<count { result.insert(try source.next(Element.self)) }
        return result
    }
}

extension Dictionary: HollowDecodableCollection where Key: Decodable, Value: Decodable {
    static var hollowDecodableComponents: [any Decodable.Type] { [Key.self, Value.self] }
    static var hollowEmpty: Self { [:] }
    static func hollowDecode<S: HollowElementSource>(from source: inout S) throws -> Self {
        let count = source.count
        var result = [Key: Value](minimumCapacity: count)
        for _ in 0..<count {
            let (key, value) = try source.nextEntry(Key.self, Value.self)
            result[key] = value
        }
        return result
    }
}

// MARK: Encoding

/// Receives the elements (or entries) of one collection, to add them to a write state.
protocol HollowElementSink {
    mutating func element<E: Encodable>(_ element: E) throws
    mutating func entry<K: Encodable, V: Encodable>(_ key: K, _ value: V) throws
}

protocol HollowEncodableOptional: HollowOptionalMarker {
    var hollowWrappedEncodable: (any Encodable)? { get }
}

protocol HollowEncodableCollection: HollowCollectionMarker {
    var hollowCount: Int { get }
    func hollowEncode<S: HollowElementSink>(into sink: inout S) throws
}

extension Optional: HollowEncodableOptional where Wrapped: Encodable {
    var hollowWrappedEncodable: (any Encodable)? { self.map { $0 } }
}

extension Array: HollowEncodableCollection where Element: Encodable {
    var hollowCount: Int { count }
    func hollowEncode<S: HollowElementSink>(into sink: inout S) throws {
        for element in self { try sink.element(element) }
    }
}

extension Set: HollowEncodableCollection where Element: Encodable {
    var hollowCount: Int { count }
    func hollowEncode<S: HollowElementSink>(into sink: inout S) throws {
        for element in self { try sink.element(element) }
    }
}

extension Dictionary: HollowEncodableCollection where Key: Encodable, Value: Encodable {
    var hollowCount: Int { count }
    func hollowEncode<S: HollowElementSink>(into sink: inout S) throws {
        for (key, value) in self { try sink.entry(key, value) }
    }
}

// MARK: Raw values

/// The scalar kind of a raw-value type's raw value, when it is one the mapping stores.
func hollowRawKind(_ type: Any.Type) -> ScalarKind? {
    guard let raw = type as? any RawRepresentable.Type else { return nil }
    func kind<R: RawRepresentable>(_: R.Type) -> ScalarKind? { ScalarKind(R.RawValue.self) }
    return kind(raw)
}

/// The raw value of `value`, of a raw-value type.
func hollowRawValue(_ value: any RawRepresentable) -> Any {
    func raw<R: RawRepresentable>(_ value: R) -> Any { value.rawValue }
    return raw(value)
}

/// `T(rawValue: raw)`, nil when `raw` is no raw value of `T`.
func hollowMakeRaw<T>(_ type: T.Type, _ raw: Any) -> T? {
    guard let rawType = type as? any RawRepresentable.Type else { return nil }
    func make<R: RawRepresentable>(_: R.Type) -> Any? { (raw as? R.RawValue).flatMap { R(rawValue: $0) } }
    return make(rawType) as? T
}

/// The first case of a `CaseIterable` type, as a placeholder.
func hollowFirstCase<T>(_ type: T.Type) -> T? {
    guard let iterable = type as? any CaseIterable.Type else { return nil }
    func first<C: CaseIterable>(_: C.Type) -> Any? { C.allCases.first }
    return first(iterable) as? T
}
