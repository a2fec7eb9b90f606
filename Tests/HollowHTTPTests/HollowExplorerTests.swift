import Foundation
import Hollow
import HollowCore
import HollowHTTP
import HollowTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The explorer's pages against a consumer of an in-memory deployment whose records hold hostile
/// strings: every value escaped, references followed as links, lookups by key, pages, errors.
@Suite struct HollowExplorerTests {
    let schema = try! Schema(parsing: """
        type Country { code: string }
        type Person key(name) { name: string country: Country? }
        list Cast of Person
        type Movie key(id) { id: long title: string cast: Cast rating: double? }
        """)
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let hostile = #"<script>alert("x")</script>' onmouseover='alert(1)' &amp; <img src=x onerror=alert(2)>"#

    func deployment(movies: Int) async throws -> (InMemoryDeployment, Consumer) {
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p<b>", schema: schema, configuration: .init(tags: ["source": Self.hostile]), logger: quiet)
        try await producer.waitForLeadership()
        try await producer.runCycle { state in
            for id in 0..<Int64(movies) {
                var country = ObjectRecord(schema.object("Country")!)
                try country.set("code", .string(id == 0 ? Self.hostile : "FR"))
                var person = ObjectRecord(schema.object("Person")!)
                try person.set("name", .string(id == 0 ? Self.hostile : "Person \(id)"))
                try person.set("country", .reference(try state.add(country)))
                let cast = try state.add(list: [try state.add(person)], to: "Cast")
                var movie = ObjectRecord(schema.object("Movie")!)
                try movie.set("id", .long(id))
                try movie.set("title", .string(id == 0 ? Self.hostile : "Movie \(id)"))
                try movie.set("cast", .reference(cast))
                try state.add(movie)
            }
        }
        let consumer = deployment.makeConsumer(logger: quiet)
        try await consumer.refresh()
        return (deployment, consumer)
    }

    func application(_ consumer: Consumer) -> some ApplicationProtocol {
        let router = Router()
        router.addRoutes(HollowExplorer(consumer: consumer).routes(), atPath: "/")
        return Application(router: router, logger: quiet)
    }

    /// No dataset text reaches the page unescaped.
    func expectEscaped(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!page.contains("<script>"), sourceLocation: sourceLocation)
        #expect(!page.contains("<img"), sourceLocation: sourceLocation)
        #expect(!page.contains("' onmouseover='"), sourceLocation: sourceLocation)
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;alert(1)&#39; &amp;amp;"), sourceLocation: sourceLocation)
    }

    @Test func theDatasetPageListsTypesAndEscapesTheAnnouncement() async throws {
        let (_, consumer) = try await deployment(movies: 3)
        try await application(consumer).test(.router) { client in
            try await client.execute(uri: "/explorer", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let page = String(buffer: response.body)
                #expect(page.contains("<h1>Version 1</h1>"))
                #expect(page.contains(#"<a href="/explorer/types/Movie">Movie</a>"#))
                #expect(page.contains("p&lt;b&gt;"), "the producer's id is escaped")
                expectEscaped(page)
            }
        }
    }

    @Test func aRecordPageEscapesItsValuesAndLinksItsReferences() async throws {
        let (_, consumer) = try await deployment(movies: 3)
        let movie = try #require(consumer.current?.readState.objectType("Movie"))
        let ordinal = try #require(movie.ordinals.first { movie.long($0, movie.field("id")!) == 0 })
        try await application(consumer).test(.router) { client in
            try await client.execute(uri: "/explorer/types/Movie/\(ordinal)", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                expectEscaped(page)
                #expect(page.contains(#"<a href="/explorer/types/Cast/"#), "the cast is a link: \(page)")
                #expect(page.contains(#"<span class="null">null</span>"#), "a null rating")
            }
            // The list leads to the person, the person to the country, whose one field is shown in the link.
            let cast = try #require(consumer.current?.readState.objectType("Movie")?.reference(ordinal, movie.field("cast")!))
            try await client.execute(uri: "/explorer/types/Cast/\(cast)", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok && page.contains(#"<a href="/explorer/types/Person/"#), "\(page)")
            }
            try await client.execute(uri: "/explorer/types/Person", method: .get) { response in
                let page = String(buffer: response.body)
                expectEscaped(page)
                #expect(page.contains(#"<form method="get" action="/explorer/types/Person/key">"#), "\(page)")
                #expect(page.contains("Country #"), "references shown as links in the table")
                // Each field's bytes: its bits in every slot of the record array, plus its pool.
                let readState = try #require(consumer.current).readState
                let memory = try #require(readState.memory.types.first { $0.name == "Person" })
                let name = try #require(readState.objectType("Person")?.field("name"))
                let nameBytes = (name.bitsPerRecord * memory.ordinalCount + 7) / 8 + memory.pools.first { $0.name == "name" }!.bytes
                #expect(page.contains("<th>bytes</th>") && page.contains(#"<td class="number">\#(nameBytes)</td>"#), "\(page)")
            }
        }
    }

    @Test func aLookupByKeyLeadsToTheRecordAndBadRequestsSayWhy() async throws {
        let (_, consumer) = try await deployment(movies: 3)
        try await application(consumer).test(.router) { client in
            try await client.execute(uri: "/explorer/types/Movie/key?id=2", method: .get) { response in
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                #expect(location.hasPrefix("/explorer/types/Movie/"))
            }
            try await client.execute(uri: "/explorer/types/Movie/key?id=99", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/explorer/types/Movie/key?id=x", method: .get) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("is not a value of Movie.id"))
            }
            try await client.execute(uri: "/explorer/types/Movie/key", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/explorer/types/Nope", method: .get) { response in
                #expect(response.status == .notFound && String(buffer: response.body).contains("has no type &#39;Nope&#39;"))
            }
            // A form sends a space as +: "Person 1".
            try await client.execute(uri: "/explorer/types/Person/key?name=Person+1", method: .get) { response in
                #expect(response.status == .seeOther, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/explorer/types/Person/key?na%6De=Person%201", method: .get) { response in
                #expect(response.status == .seeOther, "names are percent-decoded too")
            }
            try await client.execute(uri: "/explorer/types/Movie/999", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/explorer/types/Movie/-1", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/explorer", method: .post) { response in
                #expect(response.status != .ok, "read-only")
            }
        }
    }

    @Test func recordsComePageByPage() async throws {
        let (_, consumer) = try await deployment(movies: 120)
        try await application(consumer).test(.router) { client in
            for page in 1...3 {
                try await client.execute(uri: "/explorer/types/Movie?page=\(page)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    let rows = html.components(separatedBy: "<tr><td><a href=\"/explorer/types/Movie/").count - 1
                    #expect(rows == (page < 3 ? 50 : 20), "page \(page)")
                    #expect(html.contains("page=\(page + 1)\">next") == (page < 3))
                }
            }
            try await client.execute(uri: "/explorer/types/Movie?page=4", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/explorer/types/Movie?page=x", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func mountedElsewhereItsLinksLeadThere() async throws {
        let (_, consumer) = try await deployment(movies: 3)
        let router = Router()
        router.addRoutes(HollowExplorer(consumer: consumer, path: "/admin/data/").routes())
        try await Application(router: router, logger: quiet).test(.router) { client in
            try await client.execute(uri: "/admin/data", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok && page.contains(#"<a href="/admin/data/types/Movie">Movie</a>"#), "\(page)")
                #expect(!page.contains(#"href="/explorer"#), "\(page)")
            }
            try await client.execute(uri: "/admin/data/types/Movie/key?id=1", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location]?.hasPrefix("/admin/data/types/Movie/") == true)
            }
        }
    }

    @Test func longValuesAndCollectionsAreCut() async throws {
        let schema = try Schema(parsing: """
            type Tag { name: string }
            list Tags of Tag
            type Doc key(id) { id: long body: string tags: Tags }
            """)
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p", schema: schema, logger: quiet)
        try await producer.waitForLeadership()
        try await producer.runCycle { state in
            var tags: [Int] = []
            for number in 0..<700 {
                var tag = ObjectRecord(schema.object("Tag")!)
                try tag.set("name", .string("tag \(number)"))
                tags.append(try state.add(tag))
            }
            var doc = ObjectRecord(schema.object("Doc")!)
            try doc.set("id", .long(1))
            try doc.set("body", .string(String(repeating: "x", count: 5_000)))
            try doc.set("tags", .reference(try state.add(list: tags, to: "Tags")))
            try state.add(doc)
        }
        let consumer = deployment.makeConsumer(logger: quiet)
        try await consumer.refresh()
        try await application(consumer).test(.router) { client in
            try await client.execute(uri: "/explorer/types/Doc/0", method: .get) { response in
                #expect(String(buffer: response.body).contains("… (3000 more characters)"))
            }
            try await client.execute(uri: "/explorer/types/Tags/0", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("… and 200 more, not shown."), "\(page.suffix(300))")
                #expect(page.components(separatedBy: "<a href=\"/explorer/types/Tag/").count - 1 == 500)
            }
        }
    }

    @Test func nothingServedYetIsAnAnswerNotACrash() async throws {
        let consumer = InMemoryDeployment().makeConsumer(logger: quiet)
        try await application(consumer).test(.router) { client in
            try await client.execute(uri: "/explorer", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }
}
