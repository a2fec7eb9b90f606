import Foundation
import Hollow
import HollowCore
import Hummingbird
import Synchronization

/// The explorer: server-rendered HTML pages of the version a consumer serves, that work without
/// JavaScript. Read-only (GET only); every value from the dataset is escaped. It shows every
/// record to whoever reaches it: mount it where only operators do (an internal port or network).
///
/// | route (under `path`, `/explorer` by default) | page |
/// | --- | --- |
/// | `PATH` | the dataset: version, producer, term, tags; types with records and memory |
/// | `PATH/types/TYPE?page=N` | a type: fields and their bits, a primary-key form, its records 50 a page |
/// | `PATH/types/TYPE/ORDINAL` | a record, its references as links |
/// | `PATH/types/TYPE/key?FIELD=VALUE...` | the record with that primary key (a redirect to its page) |
public struct HollowExplorer: Sendable {
    public let consumer: Consumer
    /// Where the routes are, from the router's root; every link of the pages starts there.
    public let path: String
    /// Primary-key indexes of the types looked up, carried from version to version (a lookup of
    /// a type the consumer indexes uses the consumer's).
    private let indexes = IndexCache()

    public init(consumer: Consumer, path: String = "/explorer") {
        self.consumer = consumer
        var path = path.hasPrefix("/") ? path : "/" + path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.path = path
    }

    /// The explorer's routes, to add to a router at its root: `router.addRoutes(explorer.routes())`.
    public func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let explorer = self
        let base = String(path.dropFirst())
        routes.get(RouterPath(base)) { _, _ in
            explorer.respond { $0.dataset() }
        }
        routes.get(RouterPath(base + "/types/:type")) { request, context in
            let type = context.parameters.get("type") ?? ""
            let pageText = Self.query(request.uri.query)["page"] ?? "1"
            guard let page = Int(pageText) else {
                return Self.response(.problem(.badRequest, "Bad page", "'\(pageText)' is not a page number", home: explorer.path))
            }
            return explorer.respond { $0.type(type, page: page) }
        }
        routes.get(RouterPath(base + "/types/:type/key")) { request, context in
            let type = context.parameters.get("type") ?? ""
            let values = Self.query(request.uri.query)
            return explorer.respond { $0.lookup(type, values: values) }
        }
        routes.get(RouterPath(base + "/types/:type/:ordinal")) { _, context in
            let type = context.parameters.get("type") ?? ""
            let ordinalText = context.parameters.get("ordinal") ?? ""
            guard let ordinal = Int(ordinalText) else {
                return Self.response(.problem(.notFound, "No such record", "'\(ordinalText)' is not a record number", home: explorer.path))
            }
            return explorer.respond { $0.record(type, ordinal: ordinal) }
        }
        return routes
    }

    private func respond(_ render: (ExplorerRenderer) -> ExplorerPage) -> Response {
        guard let state = consumer.current else {
            return Self.response(.problem(.unavailable, "Nothing served yet", "the consumer serves no version yet", home: path))
        }
        let indexes = indexes
        let renderer = ExplorerRenderer(state: state, home: path) { type in
            state.primaryKeyIndex(type) ?? indexes.index(of: type, in: state)
        }
        return Self.response(render(renderer))
    }

    /// A query string's parameters as a form sends them: `+` is a space, then percent-decoding,
    /// names and values alike; the first of a repeated name counts.
    static func query(_ query: String?) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if parameters[name] == nil { parameters[name] = parts.count == 2 ? decode(parts[1]) : "" }
        }
        return parameters
    }

    static func response(_ page: ExplorerPage) -> Response {
        var headers = HTTPFields()
        let status: HTTPResponse.Status
        switch page.status {
        case .ok: status = .ok
        case .notFound: status = .notFound
        case .badRequest: status = .badRequest
        case .unavailable: status = .serviceUnavailable
        case .redirect(let location):
            headers[.location] = location
            return Response(status: .seeOther, headers: headers)
        }
        headers[.contentType] = "text/html; charset=utf-8"
        // Record data is untrusted: no script runs, nothing loads from elsewhere and no other site
        // frames the page, even if a value slipped through unescaped.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }
}

/// The explorer's own primary-key indexes, one per type, each brought to the state asked for
/// from the one it was built for (by the deltas between, when they are consecutive).
final class IndexCache: Sendable {
    private let indexes = Mutex<[String: (stateID: UInt64, index: PrimaryKeyIndex)]>([:])

    func index(of type: String, in state: ConsumerState) -> PrimaryKeyIndex? {
        indexes.withLock { indexes in
            if let held = indexes[type], held.stateID == state.readState.stateID { return held.index }
            let next = try? indexes[type].map { try $0.index.updated(to: state.readState) } ?? PrimaryKeyIndex(state.readState, type: type)
            indexes[type] = next.map { (state.readState.stateID, $0) }
            return next
        }
    }
}
