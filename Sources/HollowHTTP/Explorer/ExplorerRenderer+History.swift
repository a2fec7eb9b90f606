import Foundation
import Hollow
import HollowCore
import HollowTools

/// The history pages: the versions announced with their blobs and changes, one version's changes,
/// and one record followed across the versions the explorer recorded.
extension ExplorerRenderer {
    /// Versions shown on the history page, newest first.
    static let historyLimit = 200
    /// Records of each kind listed per type on a version's page.
    static let listedChanges = 100

    /// Every version the log retains (the last `historyLimit`), newest first: when, who, term, its
    /// blobs, and per type the records added, removed and changed when the explorer recorded it.
    func history(_ announced: AnnouncementHistory?, changes: [VersionChanges]) -> ExplorerPage {
        let recorded = Dictionary(changes.map { ($0.version, $0) }, uniquingKeysWith: { $1 })
        var body = historyNote(changes)
        body += "<table><tr><th>version</th><th>announced</th><th>producer</th><th>term</th><th>blobs (bytes)</th><th>changes</th></tr>"
        let announcements = announced.map { Array($0.announcements.suffix(Self.historyLimit).reversed()) } ?? []
        if announced != nil {
            for announcement in announcements {
                body += "<tr><td>\(versionLink(announcement.version))\(markers(announcement.version, announced))</td>"
                    + "<td>\(time(announcement.timestampMilliseconds))</td><td>\(HTML.escape(announcement.producerID))</td>"
                    + "<td class=\"number\">\(announcement.term)</td><td>\(blobSizes(announcement))</td>"
                    + "<td>\(summary(recorded[announcement.version]))</td></tr>"
            }
        } else {
            for change in changes.reversed() {
                body += "<tr><td>\(versionLink(change.version))\(markers(change.version, nil))</td><td></td><td></td><td></td><td></td>"
                    + "<td>\(summary(change))</td></tr>"
            }
        }
        body += "</table>"
        if let announced, announced.announcements.count > announcements.count {
            body += "<p>\(announced.announcements.count - announcements.count) older versions not shown.</p>"
        }
        return ExplorerPage(status: .ok, html: HTML.page(title: "History", body: body, home: home))
    }

    /// One version: its announcement and blobs, and what changed in it type by type, changed
    /// fields shown with their values before and after.
    func version(_ number: UInt64, announced: AnnouncementHistory?, changes: VersionChanges?) -> ExplorerPage {
        let announcement = announced?.announcement(of: number)
        guard announcement != nil || changes != nil || number == state.version else {
            return .problem(.notFound, "No such version", "version \(number) is neither announced in the log nor recorded by the explorer", home: home)
        }
        var body = "<table>"
        if let announcement {
            body += row("announced", time(announcement.timestampMilliseconds))
            body += row("producer", HTML.escape(announcement.producerID))
            body += row("term", "\(announcement.term)")
            body += row("state id", String(announcement.stateID, radix: 16))
            body += row("previous version", announcement.previousVersion.map(versionLink) ?? "none")
            for (kind, blob) in [("snapshot", announcement.snapshot), ("delta", announcement.delta), ("reverse delta", announcement.reverseDelta)] {
                if let blob { body += row(kind, "\(HTML.escape(blob.name.description)), \(blob.size) bytes") }
            }
            for (name, value) in announcement.tags.sorted(by: { $0.key < $1.key }) {
                body += row("tag " + HTML.escape(name), HTML.escape(value))
            }
        }
        let marks = markers(number, announced)
        if !marks.isEmpty { body += row("consumers", marks) }
        body += "</table>"
        guard let changes else {
            body += "<p>The explorer did not record this version's changes: it records the versions its consumer serves "
                + "from the time it started. <code>hollow diff</code> compares any two versions the store can load.</p>"
            return ExplorerPage(status: .ok, html: HTML.page(title: "Version \(number)", body: body, home: home))
        }
        body += "<h2>Changes from version \(versionLink(changes.fromVersion))</h2>"
        body += "<p>Recorded \(ISO8601DateFormatter().string(from: changes.recordedAt)).</p>"
        body += "<table><tr><th>type</th><th>records before</th><th>records after</th></tr>"
        for count in changes.recordCounts where count.from != count.to || changes.type(count.name) != nil {
            body += "<tr><td>\(typeLink(count.name))</td><td class=\"number\">\(count.from)</td><td class=\"number\">\(count.to)</td></tr>"
        }
        body += "</table>"
        guard let types = changes.types else {
            body += "<p>The states were too large to compare record by record: only the counts are known.</p>"
            return ExplorerPage(status: .ok, html: HTML.page(title: "Version \(number)", body: body, home: home))
        }
        if types.isEmpty { body += "<p>No record changed.</p>" }
        for type in types { body += typeChanges(type) }
        return ExplorerPage(status: .ok, html: HTML.page(title: "Version \(number)", body: body, home: home))
    }

    /// One record of `name`, by the primary key `values` spell, followed across the recorded
    /// versions, newest first: when it was added, removed or changed, and how.
    func recordHistory(_ name: String, values: [String: String], changes: [VersionChanges]) -> ExplorerPage {
        let key: [FieldValue?]
        switch primaryKey(of: name, from: values) {
        case .success(let values): key = values
        case .failure(let problem): return problem.page
        }
        let paths = readState.schema.object(name)?.primaryKey ?? []
        let keyText = zip(paths, key).map { path, value in "\(path)=\(value.map(KeyText.text(of:)) ?? "null")" }.joined(separator: ", ")
        var body = "<p>\(typeLink(name)) \(HTML.escape(keyText)): "
        if let ordinal = primaryKeyIndex(name)?.ordinal(matching: key) {
            body += "in version \(state.version) it is " + recordLink(name, ordinal) + ".</p>"
        } else {
            body += "version \(state.version) does not have it.</p>"
        }
        body += historyNote(changes)
        var rows = ""
        for change in changes.reversed() {
            guard let types = change.types else {
                rows += "<tr><td>\(versionLink(change.version))</td><td colspan=\"2\" class=\"null\">not compared (states too large)</td></tr>"
                continue
            }
            guard let type = types.first(where: { $0.diff.name == name }) else { continue }
            if let record = type.diff.added.first(where: { $0.keyValues == key }) {
                rows += "<tr><td>\(versionLink(change.version))</td><td>added</td><td><code>\(HTML.escape(record.json, limit: Self.textLimit))</code></td></tr>"
            } else if let record = type.diff.removed.first(where: { $0.keyValues == key }) {
                rows += "<tr><td>\(versionLink(change.version))</td><td>removed</td><td><code>\(HTML.escape(record.json, limit: Self.textLimit))</code></td></tr>"
            } else if let record = type.diff.changed.first(where: { $0.keyValues == key }) {
                rows += "<tr><td>\(versionLink(change.version))</td><td>changed</td><td>\(fieldChanges(record.fieldChanges))</td></tr>"
            } else if type.isCut {
                rows += "<tr><td>\(versionLink(change.version))</td><td colspan=\"2\" class=\"null\">"
                    + "changed more \(HTML.escape(name)) records than the explorer keeps; this one may be among them</td></tr>"
            }
        }
        body += rows.isEmpty ? "<p>No recorded version changed it.</p>"
            : "<table><tr><th>version</th><th>what</th><th>how</th></tr>\(rows)</table>"
        return ExplorerPage(status: .ok, html: HTML.page(title: "History of \(name) \(keyText)", body: body, home: home))
    }

    // MARK: Pieces

    private func typeChanges(_ type: VersionChanges.ChangedType) -> String {
        let diff = type.diff
        var html = "<h3>\(typeLink(diff.name))</h3>"
        guard diff.primaryKey != nil else {
            return html + "<p>No primary key: compared by count, \(diff.fromRecordCount) records before, \(diff.toRecordCount) after.</p>"
        }
        html += "<p>\(type.addedCount) added, \(type.removedCount) removed, \(type.changedCount) changed.</p>"
        func records(_ title: String, _ list: [TypeDiff.Record], count: Int) -> String {
            guard !list.isEmpty else { return "" }
            var html = "<table><tr><th>\(title)</th><th>record</th></tr>"
            for record in list.prefix(Self.listedChanges) {
                html += "<tr><td>\(keyLink(diff.name, record.key, record.keyValues))</td><td><code>\(HTML.escape(record.json, limit: Self.textLimit))</code></td></tr>"
            }
            return html + "</table>" + more(count - min(list.count, Self.listedChanges))
        }
        html += records("added", diff.added, count: type.addedCount)
        html += records("removed", diff.removed, count: type.removedCount)
        if !diff.changed.isEmpty {
            html += "<table><tr><th>changed</th><th>fields</th></tr>"
            for change in diff.changed.prefix(Self.listedChanges) {
                html += "<tr><td>\(keyLink(diff.name, change.key, change.keyValues))</td><td>\(fieldChanges(change.fieldChanges))</td></tr>"
            }
            html += "</table>" + more(type.changedCount - min(diff.changed.count, Self.listedChanges))
        }
        return html
    }

    private func more(_ count: Int) -> String { count > 0 ? "<p>… and \(count) more, not shown.</p>" : "" }

    private func fieldChanges(_ changes: [TypeDiff.FieldChange]) -> String {
        var html = "<table>"
        for change in changes {
            html += "<tr><th>\(HTML.escape(change.name))</th><td><del>\(HTML.escape(change.before, limit: Self.textLimit))</del></td>"
                + "<td><ins>\(HTML.escape(change.after, limit: Self.textLimit))</ins></td></tr>"
        }
        return html + "</table>"
    }

    /// A record's key, linked to its history (when its values can be written in a link).
    private func keyLink(_ type: String, _ key: [String], _ values: [FieldValue?]?) -> String {
        let text = HTML.escape(key.joined(separator: ", "))
        guard let paths = readState.schema.object(type)?.primaryKey, let values, let query = keyQuery(paths, values) else { return text }
        return "<a href=\"\(typeURL(type))/history?\(HTML.escape(query))\">\(text)</a>"
    }

    private func summary(_ changes: VersionChanges?) -> String {
        guard let changes else { return "<span class=\"null\">not recorded</span>" }
        guard let types = changes.types else { return "<span class=\"null\">counts only</span>" }
        if types.isEmpty { return "none" }
        return types.map { type in
            type.diff.primaryKey == nil
                ? "\(HTML.escape(type.diff.name)) \(type.diff.fromRecordCount)→\(type.diff.toRecordCount)"
                : "\(HTML.escape(type.diff.name)) +\(type.addedCount) −\(type.removedCount) ~\(type.changedCount)"
        }.joined(separator: "<br>")
    }

    private func historyNote(_ changes: [VersionChanges]) -> String {
        guard let first = changes.first else {
            return "<p>The explorer records changes of the versions its consumer serves from the time it started; none yet.</p>"
        }
        return "<p>Changes are recorded for the versions the consumer served since the explorer started (from version \(first.version)).</p>"
    }

    private func markers(_ version: UInt64, _ announced: AnnouncementHistory?) -> String {
        var marks: [String] = []
        if version == state.version { marks.append("served") }
        if let announced, announced.pinnedVersion == version { marks.append("pinned") }
        return marks.isEmpty ? "" : " <strong>" + marks.joined(separator: ", ") + "</strong>"
    }

    func versionLink(_ version: UInt64) -> String { "<a href=\"\(home)/history/\(version)\">\(version)</a>" }

    private func blobSizes(_ announcement: Announcement) -> String {
        [("snapshot", announcement.snapshot), ("delta", announcement.delta), ("reverse delta", announcement.reverseDelta)]
            .compactMap { kind, blob in blob.map { "\(kind) \($0.size)" } }.joined(separator: "<br>")
    }

    func time(_ milliseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
