import Metrics

/// The consumer's metrics (swift-metrics), dimensioned by consumer name.
struct ConsumerMetrics: Sendable {
    let version: Gauge
    let refreshDuration: Metrics.Timer
    let bytesFetched: Counter
    let failures: Counter
    let memoryBytes: Gauge

    init(name: String) {
        let dimensions = [("consumer", name)]
        version = Gauge(label: "hollow_consumer_version", dimensions: dimensions)
        refreshDuration = Metrics.Timer(label: "hollow_consumer_refresh_duration", dimensions: dimensions)
        bytesFetched = Counter(label: "hollow_consumer_bytes_fetched", dimensions: dimensions)
        failures = Counter(label: "hollow_consumer_refresh_failures", dimensions: dimensions)
        memoryBytes = Gauge(label: "hollow_consumer_memory_bytes", dimensions: dimensions)
    }

    func refreshed(_ report: RefreshReport, memory: Int) {
        version.record(Double(report.toVersion))
        refreshDuration.recordNanoseconds(report.duration.nanoseconds)
        bytesFetched.increment(by: report.bytesFetched)
        memoryBytes.record(Double(memory))
    }

    func failed() { failures.increment() }
}
