import Foundation
import Hollow
import HollowCore
import Hummingbird
import Synchronization

/// The explorer: server-rendered HTML pages of the version a consumer serves, and of the versions
/// before it, that work without JavaScript. Read-only (GET only); every value from the dataset is
/// escaped. It shows every record to whoever reaches it: mount it where only operators do (an
/// internal port or network).
///
/// | route (under `path`, `/explorer` by default) | page |
/// | --- | --- |
/// | `PATH` | the dataset: version, producer, term, tags, pinned or not; types with records and memory |
/// | `PATH/types/TYPE?page=N` | a type: fields and their bits, key and query forms, its records 50 a page |
/// | `PATH/types/TYPE/ORDINAL` | a record, its references as links |
/// | `PATH/types/TYPE/key?FIELD=VALUE...` | the record with that primary key (a redirect to its page) |
/// | `PATH/types/TYPE/query?field=PATH&value=VALUE` | the records whose field has that value |
/// | `PATH/types/TYPE/history?FIELD=VALUE...` | one record across the recorded versions |
/// | `PATH/history` | the versions announced: time, producer, term, blobs, changes per type |
/// | `PATH/history/VERSION` | one version's announcement and changes, fields before and after |
///
/// Changes are recorded from the time the explorer is made: each version the consumer serves is
/// compared with the one it served before (away from the refreshing task), and the last
/// `retainedVersions` comparisons are kept.
public struct HollowExplorer: Sendable {
    public let consumer: Consumer
    /// The log the consumer follows: the history page lists what it retains, and the dataset page
    /// says whether consumers are pinned. Without it, only the recorded versions are listed.
    public let announcementLog: (any AnnouncementLog)?
    /// Where the routes are, from the router's root; every link of the pages starts there.
    public let path: String
    /// Indexes of the types looked up or queried, carried from version to version (a lookup of a
    /// type the consumer indexes uses the consumer's).
    private let indexes = IndexCache()
    private let history: ExplorerHistory

    /// `retainedVersions`: how many versions' changes are kept (0 records none).
    public init(consumer: Consumer, announcementLog: (any AnnouncementLog)? = nil, path: String = "/explorer", retainedVersions: Int = 100) {
        self.consumer = consumer
        self.announcementLog = announcementLog
        var path = path.hasPrefix("/") ? path : "/" + path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.path = path
        history = ExplorerHistory(following: consumer, limits: .init(retainedVersions: max(retainedVersions, 0)))
    }

    /// The explorer's routes, to add to a router at its root: `router.addRoutes(explorer.routes())`.
    public func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let explorer = self
        let base = String(path.dropFirst())
        routes.get(RouterPath(base)) { _, _ in
            let announced = try? await explorer.announced()
            return explorer.respond { $0.dataset(announced: announced) }
        }
        routes.get(RouterPath(base + "/history")) { _, _ in
            let announced: AnnouncementHistory?
            do { announced = try await explorer.announced() } catch {
                return Self.response(.problem(.unavailable, "Log unavailable", "the announcement log could not be read: \(error)", home: explorer.path))
            }
            let changes = explorer.history.changes
            return explorer.respond { $0.history(announced, changes: changes) }
        }
        routes.get(RouterPath(base + "/history/:version")) { _, context in
            let text = context.parameters.get("version") ?? ""
            guard let version = UInt64(text) else {
                return Self.response(.problem(.notFound, "No such version", "'\(text)' is not a version number", home: explorer.path))
            }
            let announced: AnnouncementHistory?
            do { announced = try await explorer.announced() } catch {
                return Self.response(.problem(.unavailable, "Log unavailable", "the announcement log could not be read: \(error)", home: explorer.path))
            }
            let changes = explorer.history.changes(to: version)
            return explorer.respond { $0.version(version, announced: announced, changes: changes) }
        }
        routes.get(RouterPath(base + "/types/:type")) { request, context in
            let type = context.parameters.get("type") ?? ""
            guard let page = Self.page(request) else {
                return Self.response(.problem(.badRequest, "Bad page", "the page is not a page number", home: explorer.path))
            }
            return explorer.respond { $0.type(type, page: page) }
        }
        routes.get(RouterPath(base + "/types/:type/key")) { request, context in
            let type = context.parameters.get("type") ?? ""
            let values = Self.query(request.uri.query)
            return explorer.respond { $0.lookup(type, values: values) }
        }
        routes.get(RouterPath(base + "/types/:type/query")) { request, context in
            let type = context.parameters.get("type") ?? ""
            let values = Self.query(request.uri.query)
            guard let page = Self.page(request) else {
                return Self.response(.problem(.badRequest, "Bad page", "the page is not a page number", home: explorer.path))
            }
            let indexes = explorer.indexes
            return explorer.respond { renderer in
                renderer.query(type, field: values["field"], value: values["value"], page: page) { (field) throws(IndexError) in
                    try indexes.fieldIndex(of: type, field: field, in: renderer.readState)
                }
            }
        }
        routes.get(RouterPath(base + "/types/:type/history")) { request, context in
            let type = context.parameters.get("type") ?? ""
            let values = Self.query(request.uri.query)
            let changes = explorer.history.changes
            return explorer.respond { $0.recordHistory(type, values: values, changes: changes) }
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

    private func announced() async throws -> AnnouncementHistory? {
        guard let announcementLog else { return nil }
        return try await announcementLog.history()
    }

    private func respond(_ render: (ExplorerRenderer) -> ExplorerPage) -> Response {
        guard let state = consumer.current else {
            return Self.response(.problem(.unavailable, "Nothing served yet", "the consumer serves no version yet", home: path))
        }
        let indexes = indexes
        let renderer = ExplorerRenderer(state: state, home: path) { type in
            state.primaryKeyIndex(type) ?? indexes.primaryKeyIndex(of: type, in: state.readState)
        }
        return Self.response(render(renderer))
    }

    /// The `page` parameter (1 when absent); nil when it is not a number.
    private static func page(_ request: Request) -> Int? { Int(query(request.uri.query)["page"] ?? "1") }

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

