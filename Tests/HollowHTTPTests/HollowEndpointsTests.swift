import Foundation
import Hollow
import HollowCore
import HollowHTTP
import HollowTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

/// `HollowEndpoints` mounted in a Hummingbird router, against a consumer of an in-memory
/// deployment: readiness follows the consumer, /metrics the dataset it serves.
@Suite struct HollowEndpointsTests {
    let schema = try! Schema(parsing: """
        type Price key(sku) { sku: long cents: long }
        type Shop { name: string }
        """)
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func populate(_ state: WriteState, prices: Int, shops: Int) throws {
        for sku in 0..<Int64(prices) {
            var price = ObjectRecord(schema.object("Price")!)
            try price.set("sku", .long(sku))
            try price.set("cents", .long(100 + sku))
            try state.add(price)
        }
        for number in 0..<shops {
            var shop = ObjectRecord(schema.object("Shop")!)
            try shop.set("name", .string("shop \(number)"))
            try state.add(shop)
        }
    }

    func application(_ consumer: Consumer, registry: PrometheusCollectorRegistry) -> some ApplicationProtocol {
        let router = Router()
        router.addRoutes(HollowEndpoints(consumer: consumer, registry: registry).routes(), atPath: "/")
        return Application(router: router, logger: quiet)
    }

    @Test func readyOnceAVersionIsServedAndHealthyThroughout() async throws {
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p", schema: schema, logger: quiet)
        let consumer = deployment.makeConsumer(configuration: .init(name: "shop-service"), logger: quiet)
        try await application(consumer, registry: PrometheusCollectorRegistry()).test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""ready":false"#))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await producer.waitForLeadership()
            try await producer.runCycle { try populate($0, prices: 10, shops: 2) }
            try await consumer.refresh()
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"ready":true,"version":1}"# + "\n")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }

    /// A service that produces and consumes in one process: both send their swift-metrics to
    /// the registry /metrics shows, through their configurations, with no global bootstrap.
    @Test func theProducersAndTheConsumersOwnMetricsAreScrapedToo() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let deployment = InMemoryDeployment()
        var producing = Producer.Configuration()
        producing.metricsFactory = factory
        let producer = deployment.makeProducer("catalog-writer", schema: schema, configuration: producing, logger: quiet)
        var consuming = Consumer.Configuration(name: "shop-service")
        consuming.metricsFactory = factory
        let consumer = deployment.makeConsumer(configuration: consuming, logger: quiet)
        try await producer.waitForLeadership()
        try await producer.runCycle { try populate($0, prices: 10, shops: 2) }
        try await producer.runCycle { try populate($0, prices: 11, shops: 2) }
        try await consumer.refresh()
        try await application(consumer, registry: registry).test(.router) { client in
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(text.contains(#"hollow_producer_version{producer="catalog-writer"} 2"#), "\(text)")
            #expect(text.contains(#"hollow_producer_cycles_total{producer="catalog-writer",outcome="announced"} 2"#)
                    || text.contains(#"hollow_producer_cycles{producer="catalog-writer",outcome="announced"} 2"#), "\(text)")
            #expect(text.contains(#"hollow_producer_stage_duration"#), "\(text)")
            #expect(text.contains(#"hollow_consumer_version{consumer="shop-service"} 2"#), "\(text)")
            #expect(text.contains(#"hollow_dataset_version{consumer="shop-service"} 2"#), "\(text)")
        }
    }

    @Test func metricsFollowTheVersionServedItsTypesAndItsRefreshes() async throws {
        let deployment = InMemoryDeployment()
        let producer = deployment.makeProducer("p", schema: schema, logger: quiet)
        let consumer = deployment.makeConsumer(configuration: .init(name: "shop-service", indexes: [.hash("PricesByCents", type: "Price", fields: ["cents"])]),
                                               logger: quiet)
        let registry = PrometheusCollectorRegistry()
        try await application(consumer, registry: registry).test(.router) { client in
            func metrics() async throws -> String {
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    return String(buffer: response.body)
                }
            }
            var text = try await metrics()
            #expect(text.contains(#"hollow_service_ready{consumer="shop-service"} 0"#), "\(text)")
            #expect(!text.contains("hollow_dataset_records{"), "no types before a version: \(text)")
            #expect(!text.contains("hollow_dataset_version{") && !text.contains("hollow_service_last_refresh_age_seconds{"),
                    "no gauge before its value is known: \(text)")

            try await producer.waitForLeadership()
            try await producer.runCycle { try populate($0, prices: 10, shops: 2) }
            try await consumer.refresh()
            text = try await metrics()
            #expect(text.contains(#"hollow_service_ready{consumer="shop-service"} 1"#), "\(text)")
            #expect(text.contains(#"hollow_dataset_version{consumer="shop-service"} 1"#), "\(text)")
            #expect(text.contains(#"hollow_dataset_records{consumer="shop-service",type="Price"} 10"#), "\(text)")
            #expect(text.contains(#"hollow_dataset_records{consumer="shop-service",type="Shop"} 2"#), "\(text)")
            #expect(text.contains(#"hollow_dataset_memory_bytes{consumer="shop-service",type="Price"}"#), "\(text)")
            // The index's memory: 16 slots and 10 chain entries of 4 bytes at least.
            let indexLine = text.split(separator: "\n").first {
                $0.hasPrefix(#"hollow_dataset_index_memory_bytes{consumer="shop-service",index="PricesByCents",kind="hash"}"#)
            }
            let indexBytes: Double? = indexLine.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
            #expect((indexBytes ?? 0) >= 104, "\(text)")
            #expect(text.contains("# HELP hollow_dataset_version_age_seconds"), "\(text)")
            for gauge in ["hollow_dataset_version_age_seconds", "hollow_service_last_refresh_age_seconds"] {
                let line = text.split(separator: "\n").first { $0.hasPrefix(gauge + "{") }
                let seconds = line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
                #expect(seconds.map { $0 >= 0 && $0 < 60 } == true, "\(gauge): \(line ?? "absent")")
            }
            #expect(text.contains(#"hollow_service_failed_refreshes_in_a_row{consumer="shop-service"} 0"#), "\(text)")

            // A later version: counts follow; a failed refresh is counted until one succeeds.
            try await producer.runCycle { try populate($0, prices: 25, shops: 2) }
            deployment.blobStore.failsReads = true
            _ = try? await consumer.refresh()
            text = try await metrics()
            #expect(text.contains(#"hollow_service_failed_refreshes_in_a_row{consumer="shop-service"} 1"#), "\(text)")
            #expect(text.contains(#"hollow_dataset_records{consumer="shop-service",type="Price"} 10"#), "the last good version: \(text)")
            deployment.blobStore.failsReads = false
            try await consumer.refresh()
            text = try await metrics()
            #expect(text.contains(#"hollow_dataset_records{consumer="shop-service",type="Price"} 25"#), "\(text)")
            #expect(text.contains(#"hollow_service_failed_refreshes_in_a_row{consumer="shop-service"} 0"#), "\(text)")
        }
    }
}
