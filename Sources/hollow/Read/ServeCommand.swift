import ArgumentParser
import Foundation
import Hollow
import HollowHTTP
import Hummingbird
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Follow the announcement log as a consumer and serve the explorer, /metrics (Prometheus), /health and /ready over HTTP.",
        discussion: """
            The consumer refreshes as the log announces versions and keeps its last good version through any failure. /ready answers 503 until a version is served, then 200 with it; /health answers 200 while the process runs; /metrics gives the consumer's metrics and the dataset's; /explorer shows the version served, its types and records, the versions announced and what changed in each (docs/HTTP.md). SIGTERM or SIGINT stop it gracefully. --port 0 takes a free port; the address is printed on standard output once listening.
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: a free one).")
    var port = 8080

    func run() async throws {
        try await reportingFailures {
            guard (0...65_535).contains(port) else { throw ToolFailure(.usage, "--port \(port) is not a port (0 to 65535)") }
            guard !host.isEmpty else { throw ToolFailure(.usage, "--host is empty") }
            try await storeOptions.withStoreForReading { blobs, log in
                let registry = PrometheusCollectorRegistry()
                MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
                let consumer = Consumer(blobStore: blobs, announcementLog: log, configuration: .init(name: "hollow-serve"),
                                        logger: ToolLogging.logger("consumer"))
                let router = Router()
                router.addRoutes(HollowEndpoints(consumer: consumer, registry: registry).routes(), atPath: "/")
                router.addRoutes(HollowExplorer(consumer: consumer, announcementLog: log).routes(), atPath: "/")
                let host = host
                let app = Application(
                    router: router, configuration: .init(address: .hostname(host, port: port), serverName: "hollow"),
                    services: [consumer],
                    onServerRunning: { channel in
                        Terminal.line("serving on http://\(host):\(channel.localAddress?.port ?? 0) (/explorer, /metrics, /health, /ready)")
                    },
                    logger: ToolLogging.logger("http"))
                do {
                    try await app.runService()
                } catch {
                    throw ToolFailure(.unavailable, "cannot serve on \(host):\(port): \(error)",
                                      next: "choose another --port or --host, or stop what listens there")
                }
            }
        }
    }
}
