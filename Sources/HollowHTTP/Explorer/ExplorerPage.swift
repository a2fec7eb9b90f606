/// What an explorer route answers: a status and a whole HTML page.
struct ExplorerPage: Sendable, Equatable {
    enum Status: Sendable, Equatable {
        case ok, notFound, badRequest, unavailable
        /// A lookup that found its record: the record's page.
        case redirect(to: String)
    }

    var status: Status
    var html: String

    static func problem(_ status: Status, _ title: String, _ message: String, home: String) -> ExplorerPage {
        ExplorerPage(status: status, html: HTML.page(title: title, body: "<p>\(HTML.escape(message))</p>", home: home))
    }
}
