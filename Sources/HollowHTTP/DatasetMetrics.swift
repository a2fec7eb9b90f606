import Foundation
import Hollow
import HollowCore
import Prometheus
import Synchronization

/// The dataset's figures as Prometheus gauges, labelled with the consumer's name, brought up to
/// date when `/metrics` is scraped (reading the served state costs nothing between scrapes):
///
/// | gauge | what |
/// | --- | --- |
/// | `hollow_dataset_version` | the version served (absent before the first) |
/// | `hollow_dataset_version_age_seconds` | since that version was announced |
/// | `hollow_dataset_records{type}` | records of each type in it |
/// | `hollow_dataset_memory_bytes{type}` | the memory each type's data takes |
/// | `hollow_consumer_ready` | 1 once a version is served, else 0 |
/// | `hollow_consumer_last_refresh_age_seconds` | since the last refresh that succeeded (a new version or none to load) |
/// | `hollow_consumer_failed_refreshes_in_a_row` | refreshes failed since the last that succeeded |
///
/// A consumer cut off from its log fails no refresh while it waits (docs/DEPLOYMENT.md): alert on
/// the version's age for a dataset that changes steadily, and on failures in a row.
final class DatasetMetrics: Sendable {
    private let consumer: Consumer
    private let registry: PrometheusCollectorRegistry
    private let labels: [(String, String)]
    private let version: Gauge
    private let versionAge: Gauge
    private let ready: Gauge
    private let refreshAge: Gauge
    private let failuresInARow: Gauge
    /// Gauges of the types of the last state seen, to unregister those a later version drops.
    private let typeGauges = Mutex<[String: (records: Gauge, memory: Gauge)]>([:])
    private let refreshes = RefreshClock()

    init(consumer: Consumer, registry: PrometheusCollectorRegistry) {
        self.consumer = consumer
        self.registry = registry
        labels = [("consumer", consumer.configuration.name)]
        func gauge(_ subsystem: String, _ name: String, _ unit: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .init(namespace: "hollow", subsystem: subsystem, metricName: name, unitName: unit, helpText: help),
                               labels: [("consumer", consumer.configuration.name)])
        }
        version = gauge("dataset", "version", "", "The version the consumer serves")
        versionAge = gauge("dataset", "version_age", "seconds", "Seconds since the version served was announced")
        ready = gauge("consumer", "ready", "", "1 once the consumer serves a version")
        refreshAge = gauge("consumer", "last_refresh_age", "seconds", "Seconds since the last refresh that succeeded")
        failuresInARow = gauge("consumer", "failed_refreshes_in_a_row", "", "Refreshes failed since the last that succeeded")
        refreshes.follow(consumer)
    }

    /// Sets every gauge from the state served now.
    func update(now: Date = Date()) {
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        let failures = refreshes.failuresInARow
        failuresInARow.set(to: Double(failures))
        if let last = refreshes.lastSuccessMilliseconds {
            refreshAge.set(to: Double(nowMilliseconds - last) / 1000)
        }
        guard let state = consumer.current else {
            ready.set(to: 0)
            return
        }
        ready.set(to: 1)
        version.set(to: Double(state.version))
        versionAge.set(to: Double(nowMilliseconds - state.announcement.timestampMilliseconds) / 1000)
        let memory = state.readState.memory
        typeGauges.withLock { gauges in
            var seen = Set<String>()
            for type in memory.types {
                seen.insert(type.name)
                let typeLabels = labels + [("type", type.name)]
                let pair = gauges[type.name] ?? (
                    registry.makeGauge(descriptor: .init(namespace: "hollow", subsystem: "dataset", metricName: "records", unitName: "",
                                                         helpText: "Records of each type in the version served"), labels: typeLabels),
                    registry.makeGauge(descriptor: .init(namespace: "hollow", subsystem: "dataset", metricName: "memory", unitName: "bytes",
                                                         helpText: "Bytes each type's data takes in memory"), labels: typeLabels)
                )
                gauges[type.name] = pair
                pair.records.set(to: Double(type.recordCount))
                pair.memory.set(to: Double(type.totalBytes))
            }
            for (name, pair) in gauges where !seen.contains(name) {
                registry.unregisterGauge(pair.records)
                registry.unregisterGauge(pair.memory)
                gauges[name] = nil
            }
        }
    }
}
