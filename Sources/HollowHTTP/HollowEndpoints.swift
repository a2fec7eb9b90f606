import Foundation
import Hollow
import Hummingbird
import Prometheus

/// The routes a service mounts to be seen and run, for one consumer:
///
/// - `GET /metrics`: the Prometheus text format of `registry`, with the dataset's figures brought up
///   to date at each scrape (`DatasetMetrics`): version served and its age, records and memory per
///   type, time since the consumer last loaded a version, refreshes failed since.
/// - `GET /health`: 200 while the process answers (liveness).
/// - `GET /ready`: 200 with the version once the consumer serves one, 503 before (readiness: send
///   no traffic to a service that has nothing to answer with).
///
/// The consumer's own metrics (refresh durations, bytes fetched, refresh failures) go through
/// swift-metrics; bootstrap it with `PrometheusMetricsFactory(registry:)` on the same registry to
/// have them here too (`hollow serve` does). Make one `HollowEndpoints` per consumer and registry:
/// it registers the dataset's gauges there and listens to the consumer's refreshes.
public struct HollowEndpoints: Sendable {
    let dataset: DatasetMetrics

    /// Endpoints for `consumer`; they register their gauges in `registry`.
    public init(consumer: Consumer, registry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry) {
        dataset = DatasetMetrics(consumer: consumer, registry: registry)
        self.consumer = consumer
    }

    private let consumer: Consumer

    /// `/metrics`, `/health` and `/ready`, to add to a router: `router.addRoutes(endpoints.routes(), atPath: "/")`.
    public func routes<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let dataset = dataset
        let consumer = consumer
        routes.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: dataset.scrape())))
        }
        routes.get("health") { _, _ in
            Self.json(.ok, #"{"status":"alive"}"#)
        }
        routes.get("ready") { _, _ in
            guard let state = consumer.current else {
                return Self.json(.serviceUnavailable, #"{"ready":false,"reason":"no version is served yet"}"#)
            }
            return Self.json(.ok, #"{"ready":true,"version":\#(state.version)}"#)
        }
        return routes
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
