import HollowCore

/// How the mapping handles a Swift type: a scalar, an optional, a collection, a raw-value type, or
/// a type that encodes or decodes itself. Found by dynamic casts, so each encoding or decoding
/// session finds it once per type and keeps it.
enum DecodeRoute {
    case scalar(ScalarKind)
    case optional(any HollowDecodableOptional.Type)
    case collection(any HollowDecodableCollection.Type)
    case raw(ScalarKind)
    case codable

    init(_ type: Any.Type) {
        if let kind = ScalarKind(type) {
            self = .scalar(kind)
        } else if let optional = type as? any HollowDecodableOptional.Type {
            self = .optional(optional)
        } else if let collection = type as? any HollowDecodableCollection.Type {
            self = .collection(collection)
        } else if let kind = hollowRawKind(type) {
            self = .raw(kind)
        } else {
            self = .codable
        }
    }
}

enum EncodeRoute {
    case scalar(ScalarKind)
    case optional
    case collection
    case raw(ScalarKind)
    case codable

    init(_ type: Any.Type) {
        if let kind = ScalarKind(type) {
            self = .scalar(kind)
        } else if type is any HollowEncodableOptional.Type {
            self = .optional
        } else if type is any HollowEncodableCollection.Type {
            self = .collection
        } else if let kind = hollowRawKind(type) {
            self = .raw(kind)
        } else {
            self = .codable
        }
    }
}

/// Routes found so far, by type.
struct RouteCache<Route> {
    private var routes: [ObjectIdentifier: Route] = [:]
    private let find: (Any.Type) -> Route

    init(_ find: @escaping (Any.Type) -> Route) { self.find = find }

    @inline(__always)
    mutating func route(_ type: Any.Type) -> Route {
        let id = ObjectIdentifier(type)
        if let route = routes[id] { return route }
        let route = find(type)
        routes[id] = route
        return route
    }
}
