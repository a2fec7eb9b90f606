import ArgumentParser
import Hollow
import HollowHTTP
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// A service that keeps the film catalog in memory and answers lookups as JSON: a `Consumer`
/// follows the announcement log in the same `ServiceGroup` as the HTTP server, and every request
/// reads the state served at that moment.
///
///     CatalogService --store /var/lib/catalog --port 8080 [--cache /var/cache/catalog]
///     curl localhost:8080/movies/16
///     curl 'localhost:8080/movies?year=1954'
///     curl localhost:8080/metrics
@main
struct CatalogService: AsyncParsableCommand {
    @Option(help: "The store directory a producer writes (blobs/ and announcements.jsonl).")
    var store: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: a free one).")
    var port = 8080

    @Option(help: "A directory for the consumer's local cache and image: a restart serves the image at once.")
    var cache: String?

    func run() async throws {
        let logger = Logger(label: "catalog")
        // One registry for the consumer's metrics (swift-metrics) and the dataset's gauges.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        // The consumer keeps its indexes up to date with every delta: lookups by id, by year and by
        // director are O(1) on whatever version is served.
        let consumer = Consumer(
            blobStore: try FileSystemBlobStore(directory: store + "/blobs", create: false),
            announcementLog: try FileSystemAnnouncementLog(file: store + "/announcements.jsonl"),
            // With a cache, a restarted service maps the image of the state it last served and
            // answers at once, then follows the deltas from there.
            configuration: .init(name: "catalog", indexes: Catalog.indexes, localCacheDirectory: cache,
                                 localImage: cache == nil ? nil : .init()),
            logger: logger)

        let router = Router()
        router.addRoutes(HollowEndpoints(consumer: consumer, registry: registry).routes())  // /metrics, /health, /ready
        router.addRoutes(CatalogRoutes(consumer: consumer).routes())                        // /movies
        let host = host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "catalog"),
            onServerRunning: { channel in logger.notice("listening on http://\(host):\(channel.localAddress?.port ?? 0)") },
            logger: logger)

        // SIGTERM or SIGINT: the server stops taking requests, then the consumer stops watching.
        let services = ServiceGroup(configuration: .init(
            services: [.init(service: consumer), .init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await services.run()
    }
}
