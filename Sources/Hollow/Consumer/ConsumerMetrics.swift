import Metrics

/// The consumer's metrics (swift-metrics), dimensioned by consumer name.
struct ConsumerMetrics: Sendable {
    let version: Gauge
    let refreshDuration: Metrics.Timer
    let bytesFetched: Counter
    let failures: Counter
    let memoryBytes: Gauge

    init(name: String, factory: (any MetricsFactory)? = nil) {
        let dimensions = [("consumer", name)]
        let factory = factory ?? MetricsSystem.factory
        version = Gauge(label: "hollow_consumer_version", dimensions: dimensions, factory: factory)
        refreshDuration = Metrics.Timer(label: "hollow_consumer_refresh_duration", dimensions: dimensions, factory: factory)
        bytesFetched = Counter(label: "hollow_consumer_bytes_fetched", dimensions: dimensions, factory: factory)
        failures = Counter(label: "hollow_consumer_refresh_failures", dimensions: dimensions, factory: factory)
        memoryBytes = Gauge(label: "hollow_consumer_memory_bytes", dimensions: dimensions, factory: factory)
    }

    func refreshed(_ report: RefreshReport, memory: Int) {
        version.record(Double(report.toVersion))
        refreshDuration.recordNanoseconds(report.duration.nanoseconds)
        bytesFetched.increment(by: report.bytesFetched)
        memoryBytes.record(Double(memory))
    }

    func failed() { failures.increment() }
}
