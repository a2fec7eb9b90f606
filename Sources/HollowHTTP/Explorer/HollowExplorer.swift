import Foundation
import Hollow
import Hummingbird

/// The explorer: server-rendered HTML pages of the version a consumer serves, that work without
/// JavaScript. Read-only (GET only); every value from the dataset is escaped.
///
/// | route | page |
/// | --- | --- |
/// | `/explorer` | the dataset: version, producer, term, tags; types with records and memory |
/// | `/explorer/types/TYPE?page=N` | a type: fields and their bits, a primary-key form, its records 50 a page |
/// | `/explorer/types/TYPE/ORDINAL` | a record, its references as links |
/// | `/explorer/types/TYPE/key?FIELD=VALUE...` | the record with that primary key (a redirect to its page) |
public struct HollowExplorer: Sendable {
    public let consumer: Consumer

    public init(consumer: Consumer) {
        self.consumer = consumer
    }

    /// The explorer's routes, to add to a router at the root: `router.addRoutes(explorer.routes(), atPath: "/")`.
    public func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let consumer = consumer
        routes.get("explorer") { _, _ in
            Self.respond(consumer) { $0.dataset() }
        }
        routes.get("explorer/types/:type") { request, context in
            let type = context.parameters.get("type") ?? ""
            let pageText = request.uri.queryParameters.get("page") ?? "1"
            guard let page = Int(pageText) else {
                return Self.response(.problem(.badRequest, "Bad page", "'\(pageText)' is not a page number"))
            }
            return Self.respond(consumer) { $0.type(type, page: page) }
        }
        routes.get("explorer/types/:type/key") { request, context in
            let type = context.parameters.get("type") ?? ""
            var values: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
            return Self.respond(consumer) { $0.lookup(type, values: values) }
        }
        routes.get("explorer/types/:type/:ordinal") { _, context in
            let type = context.parameters.get("type") ?? ""
            let ordinalText = context.parameters.get("ordinal") ?? ""
            guard let ordinal = Int(ordinalText) else {
                return Self.response(.problem(.notFound, "No such record", "'\(ordinalText)' is not a record number"))
            }
            return Self.respond(consumer) { $0.record(type, ordinal: ordinal) }
        }
        return routes
    }

    private static func respond(_ consumer: Consumer, _ render: (ExplorerRenderer) -> ExplorerPage) -> Response {
        guard let state = consumer.current else {
            return response(.problem(.unavailable, "Nothing served yet", "the consumer serves no version yet"))
        }
        return response(render(ExplorerRenderer(state: state)))
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
        // Record data is untrusted: no script runs and nothing loads from elsewhere, even if a
        // value slipped through unescaped.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.html)))
    }
}
