import Foundation
import Hollow
import HollowCore
import HollowHTTP
import HollowTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The explorer's history (versions announced, each version's changes, one record across
/// versions), its pinned version and its query by field value, against an in-memory deployment
/// whose records change from cycle to cycle, hostile strings among them.
@Suite struct HollowExplorerHistoryTests {
    let schema = try! Schema(parsing: """
        type Country { code: string }
        type Person key(name) { name: string country: Country? }
        type Movie key(id) { id: long title: string year: int director: Person? }
        """)
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let hostile = #"<script>alert("x")</script>"#

    /// One cycle: movie `id` titled `titles[id]`, each directed by a person of France.
    func cycle(_ producer: Producer, _ titles: [Int64: String]) async throws {
        try await producer.runCycle { state in
            var country = ObjectRecord(schema.object("Country")!)
            try country.set("code", .string("FR"))
            let france = try state.add(country)
            for (id, title) in titles.sorted(by: { $0.key < $1.key }) {
                var person = ObjectRecord(schema.object("Person")!)
                try person.set("name", .string("Director \(id)"))
                try person.set("country", .reference(france))
                var movie = ObjectRecord(schema.object("Movie")!)
                try movie.set("id", .long(id))
                try movie.set("title", .string(title))
                try movie.set("year", .int(2000 + Int32(id % 3)))
                try movie.set("director", .reference(try state.add(person)))
                try state.add(movie)
            }
        }
    }

    func page(_ client: some TestClientProtocol, _ uri: String, status: HTTPResponse.Status = .ok,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await client.execute(uri: uri, method: .get) { response in
            let html = String(buffer: response.body)
            #expect(response.status == status, "\(uri): \(html)", sourceLocation: sourceLocation)
            #expect(!html.contains("<script>"), "\(uri) escapes", sourceLocation: sourceLocation)
            return html
        }
    }

    /// Waits until the explorer has compared the version the consumer serves with the one before.
    func waitUntilRecorded(_ client: some TestClientProtocol, _ version: UInt64) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await !page(client, "/explorer/history/\(version)").contains("did not record") { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("version \(version)'s changes were never recorded")
    }

    @Test func eachVersionsChangesAreRecordedAndShown() async throws {
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p<b>", schema: schema, logger: quiet)
        try await producer.waitForLeadership()
        try await cycle(producer, [1: "Heat", 2: "Ran", 3: "Alien"])
        let consumer = deployment.makeConsumer(logger: quiet)
        try await consumer.refresh()
        let router = Router()
        router.addRoutes(HollowExplorer(consumer: consumer, announcementLog: deployment.announcementLog).routes())
        try await Application(router: router, logger: quiet).test(.router) { client in
            // Version 2: movie 1 retitled (to a hostile string), 2 removed, 4 added.
            try await cycle(producer, [1: Self.hostile, 3: "Alien", 4: "Brazil"])
            try await consumer.refresh()
            try await waitUntilRecorded(client, 2)

            let history = try await page(client, "/explorer/history")
            #expect(history.contains(#"<a href="/explorer/history/2">2</a> <strong>served</strong>"#), "\(history)")
            #expect(history.contains(#"<a href="/explorer/history/1">1</a>"#))
            #expect(history.contains("Movie +1 −1 ~1"), "\(history)")
            #expect(history.contains("not recorded"), "version 1 came before the explorer")
            #expect(history.contains("p&lt;b&gt;"), "the producer, escaped")
            let delta = try #require(deployment.announcementLog.currentHistory.latest?.delta)
            #expect(history.contains("delta \(delta.size)"), "blob sizes")

            let version = try await page(client, "/explorer/history/2")
            #expect(version.contains("Changes from version <a href=\"/explorer/history/1\">1</a>"), "\(version)")
            #expect(version.contains("1 added, 1 removed, 1 changed."), "\(version)")
            #expect(version.contains(#"<a href="/explorer/types/Movie/history?id=1">id=1</a>"#), "\(version)")
            #expect(version.contains("<th>title</th><td><del>&quot;Heat&quot;</del></td><td><ins>&quot;&lt;script&gt;"), "\(version)")
            #expect(version.contains(#"<a href="/explorer/types/Movie/history?id=4">id=4</a>"#))
            #expect(version.contains("&quot;Ran&quot;"), "the removed record's JSON")
            // Persons of removed and added movies changed too; the country did not.
            #expect(version.contains(#"<h3><a href="/explorer/types/Person">Person</a></h3>"#))
            #expect(!version.contains(#"<h3><a href="/explorer/types/Country">"#))

            let first = try await page(client, "/explorer/history/1")
            #expect(first.contains("did not record this version"))
            _ = try await page(client, "/explorer/history/9", status: .notFound)
            _ = try await page(client, "/explorer/history/x", status: .notFound)

            // One record followed across versions.
            try await cycle(producer, [1: "Heat", 3: "Alien", 4: "Brazil"])
            try await consumer.refresh()
            try await waitUntilRecorded(client, 3)
            let heat = try await page(client, "/explorer/types/Movie/history?id=1")
            #expect(heat.contains("in version 3 it is <a href=\"/explorer/types/Movie/"), "\(heat)")
            let rows = heat.components(separatedBy: "<td>changed</td>").count - 1
            #expect(rows == 2, "changed in versions 2 and 3: \(heat)")
            #expect(heat.range(of: "history/3")!.lowerBound < heat.range(of: "history/2\"")!.lowerBound, "newest first")
            let ran = try await page(client, "/explorer/types/Movie/history?id=2")
            #expect(ran.contains("version 3 does not have it") && ran.contains("<td>removed</td>"), "\(ran)")
            let never = try await page(client, "/explorer/types/Movie/history?id=77")
            #expect(never.contains("No recorded version changed it."))
            _ = try await page(client, "/explorer/types/Movie/history?id=x", status: .badRequest)
            _ = try await page(client, "/explorer/types/Country/history?code=FR", status: .notFound)
        }
    }

    @Test func aPinnedVersionIsShownAsSuch() async throws {
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p", schema: schema, logger: quiet)
        try await producer.waitForLeadership()
        try await cycle(producer, [1: "Heat"])
        try await cycle(producer, [1: "Heat", 2: "Ran"])
        try await deployment.announcementLog.pin(1)
        let consumer = deployment.makeConsumer(logger: quiet)
        try await consumer.refresh()
        #expect(consumer.currentVersion == 1)
        let router = Router()
        router.addRoutes(HollowExplorer(consumer: consumer, announcementLog: deployment.announcementLog).routes())
        try await Application(router: router, logger: quiet).test(.router) { client in
            let dataset = try await page(client, "/explorer")
            #expect(dataset.contains("<h1>Version 1 (pinned)</h1>"), "\(dataset)")
            #expect(dataset.contains("consumers are pinned to this version"))
            #expect(dataset.contains(#"<th>latest announced</th><td><a href="/explorer/history/2">2</a>"#), "\(dataset)")
            let history = try await page(client, "/explorer/history")
            #expect(history.contains(#"<a href="/explorer/history/1">1</a> <strong>served, pinned</strong>"#), "\(history)")
            try await deployment.announcementLog.unpin()
            let unpinned = try await page(client, "/explorer")
            #expect(unpinned.contains("<h1>Version 1</h1>") && !unpinned.contains("pinned"), "\(unpinned)")
        }
    }

    @Test func recordsAreFoundByAFieldsValue() async throws {
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p", schema: schema, logger: quiet)
        try await producer.waitForLeadership()
        try await cycle(producer, Dictionary(uniqueKeysWithValues: (0..<120).map { (Int64($0), $0 == 7 ? Self.hostile : "Movie \($0)") }))
        let consumer = deployment.makeConsumer(logger: quiet)
        try await consumer.refresh()
        let router = Router()
        router.addRoutes(HollowExplorer(consumer: consumer).routes())
        try await Application(router: router, logger: quiet).test(.router) { client in
            let type = try await page(client, "/explorer/types/Movie")
            #expect(type.contains(#"<form method="get" action="/explorer/types/Movie/query"><select name="field"><option>id</option>"#), "\(type)")
            #expect(!type.contains("<option>director</option>"), "a reference has no value to type")

            let year = try await page(client, "/explorer/types/Movie/query?field=year&value=2001")
            #expect(year.contains("<p>40 <a href=\"/explorer/types/Movie\">Movie</a> record(s) whose year is 2001"), "\(year)")
            let rows = year.components(separatedBy: "<tr><td><a href=\"/explorer/types/Movie/").count - 1
            #expect(rows == 40 && !year.contains("next"))
            // Two references deep, page by page: all 120 movies are French.
            for number in 1...3 {
                let french = try await page(client, "/explorer/types/Movie/query?field=director.country.code&value=FR&page=\(number)")
                #expect(french.contains("<p>120 <a"), "\(french)")
                #expect(french.components(separatedBy: "<tr><td><a href=\"/explorer/types/Movie/").count - 1 == (number < 3 ? 50 : 20))
                #expect(french.contains("page=\(number + 1)\">next") == (number < 3), "\(french)")
            }
            // A path through a reference, a form's + for a space, a hostile value escaped.
            let directed = try await page(client, "/explorer/types/Movie/query?field=director.name&value=Director+5")
            #expect(directed.contains("<p>1 <a"), "\(directed)")
            let hostile = try await page(client, "/explorer/types/Movie/query?field=title&value=\(Self.hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(hostile.contains("<p>1 <a") && hostile.contains("&lt;script&gt;"), "\(hostile)")
            let none = try await page(client, "/explorer/types/Movie/query?field=title&value=Nothing")
            #expect(none.contains("<p>0 <a"))

            _ = try await page(client, "/explorer/types/Movie/query?field=year&value=soon", status: .badRequest)
            _ = try await page(client, "/explorer/types/Movie/query?field=nope&value=1", status: .badRequest)
            _ = try await page(client, "/explorer/types/Movie/query?field=director&value=1", status: .badRequest)
            _ = try await page(client, "/explorer/types/Movie/query?value=1", status: .badRequest)
            _ = try await page(client, "/explorer/types/Movie/query?field=year&value=2001&page=9", status: .notFound)
            _ = try await page(client, "/explorer/types/Nope/query?field=a&value=1", status: .notFound)
        }
    }
}
