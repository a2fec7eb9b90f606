import HollowCore
import HollowTools

/// The records of a type whose field (a dotted path may follow references) has a value.
extension ExplorerRenderer {
    /// `field` is a path from `name` (`year`, `director.name`), `text` its value as a form sends
    /// it; `fieldIndex` gives the explorer's index of that field in this state. Matches come 50 a
    /// page, in ordinal order.
    func query(_ name: String, field: String?, value text: String?, page: Int,
               fieldIndex: (String) throws(IndexError) -> HashIndex) -> ExplorerPage {
        guard let schema = readState.schema[name], readState.schema.object(name) != nil else {
            return .problem(.notFound, "No such type", "version \(state.version) has no object type '\(name)'", home: home)
        }
        guard let field, !field.isEmpty, let text else {
            return .problem(.badRequest, "Incomplete query", "give a field of \(name) and a value: ?field=PATH&value=VALUE", home: home)
        }
        let type: FieldType
        do { type = try KeyText.fieldType(field, from: name, in: readState.schema) } catch {
            return .problem(.badRequest, "No such field", "\(name) has no field path '\(field)': \(error)", home: home)
        }
        if case .reference = type {
            return .problem(.badRequest, "Not a value", "\(name).\(field) is a reference: query a field of the record it refers to (\(field).FIELD)", home: home)
        }
        guard let value = KeyText.value(text, of: type) else {
            return .problem(.badRequest, "Not a value", "'\(text)' is not a value of \(name).\(field) (\(type))", home: home)
        }
        let index: HashIndex
        do { index = try fieldIndex(field) } catch {
            return .problem(.badRequest, "Cannot query", "\(name).\(field) cannot be queried: \(error)", home: home)
        }
        let matches = index.ordinals(matching: [value]).sorted()
        let pages = max(1, (matches.count + Self.pageSize - 1) / Self.pageSize)
        guard page >= 1, page <= pages else {
            return .problem(.notFound, "No such page", "the query has \(pages) page(s) of \(Self.pageSize) records; there is no page \(page)", home: home)
        }
        let query = "field=\(HTML.queryComponent(field))&value=\(HTML.queryComponent(text))"
        var body = "<p>\(matches.count) \(typeLink(name)) record(s) whose \(HTML.escape(field)) is \(HTML.escape(text, limit: Self.textLimit)), "
            + "version \(state.version).</p>"
        body += recordsPage(name, schema: schema, ordinals: matches, page: page, pages: pages) {
            "\(typeURL(name))/query?\(HTML.escape(query))&amp;page=\($0)"
        }
        return ExplorerPage(status: .ok, html: HTML.page(title: "\(name) where \(field) = \(text)", body: body, home: home))
    }

    /// The form of a query by field value, on a type's page: the fields a value can be typed for.
    func queryForm(_ name: String, _ object: ObjectSchema) -> String {
        let fields = object.fields.filter { if case .reference = $0.type { false } else { true } }
        guard !fields.isEmpty else { return "" }
        var html = "<h2>Find by field value</h2><form method=\"get\" action=\"\(HTML.escape(typeURL(name)))/query\"><select name=\"field\">"
        for field in fields { html += "<option>\(HTML.escape(field.name))</option>" }
        return html + "</select> <input name=\"value\"> <button type=\"submit\">find</button>"
            + " <small>(a path such as <code>director.name</code> works in the address)</small></form>"
    }
}
