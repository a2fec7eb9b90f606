import Foundation
import Hollow
import HollowCore
import HollowTools

/// The explorer's pages for one state served by a consumer: pure functions of the state and the
/// request's parameters, so that they are tested without a server. Read-only; every value from
/// the dataset is escaped.
struct ExplorerRenderer {
    let state: ConsumerState
    /// Where the explorer is mounted (`/explorer`): every link starts there.
    let home: String
    /// The primary-key index of a type in this state (the consumer's, or one the explorer keeps).
    let primaryKeyIndex: (String) -> PrimaryKeyIndex?
    /// Records on a page of a type's records; elements shown of a list, set or map.
    static let pageSize = 50
    static let elementLimit = 500
    /// Characters shown of a string (or of bytes in base64).
    static let textLimit = 2_000

    var readState: ReadState { state.readState }

    /// The dataset: version, producer, term, time, tags; its types with records and memory.
    /// `announced` (the log's history, when the explorer has the log) tells whether consumers are
    /// pinned, and to what.
    func dataset(announced: AnnouncementHistory? = nil) -> ExplorerPage {
        let announcement = state.announcement
        let time = Date(timeIntervalSince1970: Double(announcement.timestampMilliseconds) / 1000)
        var body = "<table>"
        body += row("version", "\(state.version)")
        body += row("announced", ISO8601DateFormatter().string(from: time))
        body += row("producer", HTML.escape(announcement.producerID))
        body += row("term", "\(announcement.term)")
        body += row("state id", String(announcement.stateID, radix: 16))
        if let announced {
            if let pinned = announced.pinnedVersion {
                body += row("pinned", pinned == state.version
                    ? "<strong>yes: consumers are pinned to this version</strong>"
                    : "<strong>consumers are pinned to version \(versionLink(pinned))</strong>")
            }
            if let latest = announced.latest?.version, latest != state.version {
                body += row("latest announced", versionLink(latest))
            }
        }
        for (name, value) in announcement.tags.sorted(by: { $0.key < $1.key }) {
            body += row("tag " + HTML.escape(name), HTML.escape(value))
        }
        body += "</table>"
        let memory = readState.memory
        body += "<h2>Types</h2><table><tr><th>type</th><th>kind</th><th>records</th><th>memory (bytes)</th></tr>"
        for type in memory.types {
            let kind = readState.schema[type.name]?.kindName ?? ""
            body += "<tr><td>\(typeLink(type.name))</td><td>\(kind)</td><td class=\"number\">\(type.recordCount)</td>"
                + "<td class=\"number\">\(type.totalBytes)</td></tr>"
        }
        body += "</table><p>\(memory.totalBytes) bytes in all.</p>"
        body += "<p><a href=\"\(home)/history\">History</a>: the versions announced, and what changed in each.</p>"
        let pinned = announced?.pinnedVersion == state.version ? " (pinned)" : ""
        return ExplorerPage(status: .ok, html: HTML.page(title: "Version \(state.version)\(pinned)", body: body, home: home))
    }

    /// A type: its fields (for an object type) with their memory, a lookup by primary key, and one
    /// page of its records (`page` counts from 1).
    func type(_ name: String, page: Int) -> ExplorerPage {
        guard let schema = readState.schema[name], let memory = readState.memory.types.first(where: { $0.name == name }) else {
            return .problem(.notFound, "No such type", "version \(state.version) has no type '\(name)'", home: home)
        }
        let ordinals = populatedOrdinals(of: name)
        let pages = max(1, (ordinals.count + Self.pageSize - 1) / Self.pageSize)
        guard page >= 1, page <= pages else {
            return .problem(.notFound, "No such page", "\(name) has \(pages) page(s) of \(Self.pageSize) records; there is no page \(page)", home: home)
        }
        var body = "<p>\(schema.kindName) type, \(memory.recordCount) records, \(memory.totalBytes) bytes: records \(memory.recordBytes), "
            + "populated bits \(memory.populatedBytes)\(memory.pools.map { ", pool \(HTML.escape($0.name)) \($0.bytes)" }.joined())"
            + ", \(memory.bitsPerRecord) bits a record.</p>"
        if case .object(let object) = schema {
            // A field's bytes: its bits in every ordinal's slot of the record array, plus its pool.
            body += "<h2>Fields</h2><table><tr><th>field</th><th>type</th><th>bits a record</th><th>bytes</th></tr>"
            let handles = readState.objectType(name)?.fields ?? []
            for field in object.fields {
                let bits = handles.first { $0.name == field.name }?.bitsPerRecord ?? 0
                let poolBytes = memory.pools.first { $0.name == field.name }?.bytes ?? 0
                let bytes = (bits * memory.ordinalCount + 7) / 8 + poolBytes
                body += "<tr><td>\(HTML.escape(field.name))</td><td>\(HTML.escape(field.type.description))\(field.isNullable ? "?" : "")</td>"
                    + "<td class=\"number\">\(bits)</td><td class=\"number\">\(bytes)</td></tr>"
            }
            body += "</table>"
            if let key = object.primaryKey {
                // A GET form: works without JavaScript, and bookmarks.
                body += "<h2>Find by primary key</h2><form method=\"get\" action=\"\(HTML.escape(typeURL(name)))/key\">"
                for field in key {
                    body += "<label>\(HTML.escape(field)) <input name=\"\(HTML.escape(field))\"></label> "
                }
                body += "<button type=\"submit\">find</button></form>"
                body += "<h2>History of a record</h2><form method=\"get\" action=\"\(HTML.escape(typeURL(name)))/history\">"
                for field in key {
                    body += "<label>\(HTML.escape(field)) <input name=\"\(HTML.escape(field))\"></label> "
                }
                body += "<button type=\"submit\">show its history</button></form>"
            }
            body += queryForm(name, object)
        }
        body += "<h2>Records, page \(page) of \(pages)</h2>"
        body += recordsPage(name, schema: schema, ordinals: ordinals, page: page, pages: pages) { "\(typeURL(name))?page=\($0)" }
        return ExplorerPage(status: .ok, html: HTML.page(title: "\(name) in version \(state.version)", body: body, home: home))
    }

    /// One record: every field, references as links to the records they lead to.
    func record(_ name: String, ordinal: Int) -> ExplorerPage {
        guard let schema = readState.schema[name] else {
            return .problem(.notFound, "No such type", "version \(state.version) has no type '\(name)'", home: home)
        }
        guard isPopulated(name, ordinal) else {
            return .problem(.notFound, "No such record", "\(name) has no record #\(ordinal) in version \(state.version)", home: home)
        }
        var body = "<p>\(typeLink(name)) #\(ordinal), version \(state.version).</p><table>"
        var hidden = 0
        switch schema {
        case .object:
            guard let records = readState.objectType(name) else { break }
            for field in records.fields {
                body += "<tr><th>\(HTML.escape(field.name))</th><td>\(value(records, ordinal, field))</td></tr>"
            }
        case .list(_, let element):
            guard let list = readState.listType(name) else { break }
            let count = list.count(ordinal)
            for index in 0..<min(count, Self.elementLimit) {
                body += "<tr><th>\(index)</th><td>\(recordLink(element, list.element(ordinal, at: index)))</td></tr>"
            }
            hidden = count - min(count, Self.elementLimit)
        case .set(_, let element):
            guard let set = readState.hashedType(name) else { break }
            let elements = set.elements(ordinal)
            for target in elements.prefix(Self.elementLimit) { body += "<tr><td>\(recordLink(element, target))</td></tr>" }
            hidden = elements.count - min(elements.count, Self.elementLimit)
        case .map(_, let key, let value):
            guard let map = readState.hashedType(name) else { break }
            let entries = map.entries(ordinal)
            for entry in entries.prefix(Self.elementLimit) {
                body += "<tr><td>\(recordLink(key, entry.key))</td><td>\(recordLink(value, entry.value))</td></tr>"
            }
            hidden = entries.count - min(entries.count, Self.elementLimit)
        }
        body += "</table>"
        if hidden > 0 { body += "<p>… and \(hidden) more, not shown.</p>" }
        return ExplorerPage(status: .ok, html: HTML.page(title: "\(name) #\(ordinal)", body: body, home: home))
    }

    /// The record of `name` whose primary key has `values` (field name to text), as a redirect to
    /// its page.
    func lookup(_ name: String, values: [String: String]) -> ExplorerPage {
        let key: [FieldValue?]
        switch primaryKey(of: name, from: values) {
        case .success(let values): key = values
        case .failure(let problem): return problem.page
        }
        guard let index = primaryKeyIndex(name), let ordinal = index.ordinal(matching: key) else {
            return .problem(.notFound, "Not found", "no \(name) with that key in version \(state.version)", home: home)
        }
        return ExplorerPage(status: .redirect(to: "\(typeURL(name))/\(ordinal)"), html: "")
    }

    /// A page that answers a request instead of the one asked for.
    struct Problem: Error {
        let page: ExplorerPage
    }

    /// The primary key of `name` that `values` (key path to text, from a form) spell.
    func primaryKey(of name: String, from values: [String: String]) -> Result<[FieldValue?], Problem> {
        guard let object = readState.schema.object(name), let fields = object.primaryKey else {
            return .failure(Problem(page: .problem(.notFound, "No primary key", "version \(state.version) has no object type '\(name)' with a primary key", home: home)))
        }
        var key: [FieldValue?] = []
        for path in fields {
            guard let text = values[path] else {
                return .failure(Problem(page: .problem(.badRequest, "Incomplete key", "give \(name)'s primary key: \(fields.joined(separator: ", "))", home: home)))
            }
            guard let type = try? KeyText.fieldType(path, from: name, in: readState.schema), let value = KeyText.value(text, of: type) else {
                return .failure(Problem(page: .problem(.badRequest, "Not a key", "'\(text)' is not a value of \(name).\(path)", home: home)))
            }
            key.append(value)
        }
        return .success(key)
    }

    /// The query string of a key (`id=4&director.name=Ann`), for links to a lookup or a history.
    func keyQuery(_ paths: [String], _ values: [FieldValue?]) -> String? {
        guard paths.count == values.count else { return nil }
        var parts: [String] = []
        for (path, value) in zip(paths, values) {
            guard let value else { return nil }
            parts.append(HTML.queryComponent(path) + "=" + HTML.queryComponent(KeyText.text(of: value)))
        }
        return parts.joined(separator: "&")
    }

    // MARK: Pieces

    func row(_ name: String, _ valueHTML: String) -> String { "<tr><th>\(name)</th><td>\(valueHTML)</td></tr>" }

    func typeURL(_ name: String) -> String { home + "/types/" + HTML.pathSegment(name) }

    func typeLink(_ name: String) -> String { "<a href=\"\(typeURL(name))\">\(HTML.escape(name))</a>" }

    func recordLink(_ type: String, _ ordinal: Int) -> String {
        var text = "\(HTML.escape(type)) #\(ordinal)"
        if let preview = preview(type, ordinal) { text += ": " + preview }
        return "<a href=\"\(typeURL(type))/\(ordinal)\">\(text)</a>"
    }

    /// What a link to a record shows besides its number: its one scalar field, or the scalar
    /// fields of its primary key.
    private func preview(_ type: String, _ ordinal: Int) -> String? {
        guard let records = readState.objectType(type) else { return nil }
        if records.fields.count == 1, let field = records.fields.first, !isReference(field.type) {
            return value(records, ordinal, field)
        }
        guard let key = records.schema.primaryKey else { return nil }
        let fields = key.compactMap { name in records.field(name).flatMap { isReference($0.type) ? nil : $0 } }
        guard fields.count == key.count else { return nil }
        return fields.map { value(records, ordinal, $0) }.joined(separator: ", ")
    }

    func value(_ records: ObjectTypeReadState, _ ordinal: Int, _ field: FieldHandle) -> String {
        if records.isNull(ordinal, field) { return "<span class=\"null\">null</span>" }
        switch field.type {
        case .int: return records.int(ordinal, field).map(String.init) ?? ""
        case .long: return records.long(ordinal, field).map(String.init) ?? ""
        case .float: return records.float(ordinal, field).map { "\($0)" } ?? ""
        case .double: return records.double(ordinal, field).map { "\($0)" } ?? ""
        case .bool: return records.bool(ordinal, field).map { $0 ? "true" : "false" } ?? ""
        case .string: return HTML.escape(records.string(ordinal, field) ?? "", limit: Self.textLimit)
        case .bytes: return HTML.escape(Data(records.bytes(ordinal, field) ?? []).base64EncodedString(), limit: Self.textLimit)
        case .reference(let target):
            return records.reference(ordinal, field).map { recordLink(target, $0) } ?? ""
        }
    }

    /// Page `page` (of `pages`) of `ordinals` as a table, with links to the pages before and after
    /// (`url` gives a page's address, already escaped for an attribute).
    func recordsPage(_ name: String, schema: TypeSchema, ordinals: some Sequence<Int>, page: Int, pages: Int,
                     url: (Int) -> String) -> String {
        let shown = Array(ordinals.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        var links: [String] = []
        if page > 1 { links.append("<a href=\"\(url(page - 1))\">previous</a>") }
        if page < pages { links.append("<a href=\"\(url(page + 1))\">next</a>") }
        return recordsTable(name, schema: schema, ordinals: shown) + "<p>\(links.joined(separator: " "))</p>"
    }

    func recordsTable(_ name: String, schema: TypeSchema, ordinals: [Int]) -> String {
        var html = "<table>"
        if let records = readState.objectType(name) {
            html += "<tr><th>#</th>" + records.fields.map { "<th>\(HTML.escape($0.name))</th>" }.joined() + "</tr>"
            for ordinal in ordinals {
                html += "<tr><td><a href=\"\(typeURL(name))/\(ordinal)\">\(ordinal)</a></td>"
                    + records.fields.map { "<td>\(value(records, ordinal, $0))</td>" }.joined() + "</tr>"
            }
        } else {
            html += "<tr><th>#</th><th>entries</th></tr>"
            let counts: (Int) -> Int = { ordinal in
                self.readState.listType(name)?.count(ordinal) ?? self.readState.hashedType(name)?.count(ordinal) ?? 0
            }
            for ordinal in ordinals {
                html += "<tr><td><a href=\"\(typeURL(name))/\(ordinal)\">\(ordinal)</a></td><td class=\"number\">\(counts(ordinal))</td></tr>"
            }
        }
        return html + "</table>"
    }

    private func populatedOrdinals(of name: String) -> PopulatedOrdinals {
        if let records = readState.objectType(name) { return records.ordinals }
        if let list = readState.listType(name) { return list.ordinals }
        return readState.hashedType(name)!.ordinals
    }

    private func isPopulated(_ name: String, _ ordinal: Int) -> Bool {
        if let records = readState.objectType(name) { return records.isPopulated(ordinal) }
        if let list = readState.listType(name) { return list.isPopulated(ordinal) }
        return readState.hashedType(name)?.isPopulated(ordinal) ?? false
    }

    private func isReference(_ type: FieldType) -> Bool { if case .reference = type { true } else { false } }
}
