import Foundation
import Hollow
import HollowCore
import Prometheus
import Synchronization

/// The dataset's figures as Prometheus gauges, labelled with the consumer's name, brought up to
/// date when `/metrics` is scraped (reading the served state costs nothing between scrapes). A
/// gauge is registered once its value is known: before the first version there is only
/// `hollow_service_ready 0`.
///
/// | gauge | what |
/// | --- | --- |
/// | `hollow_dataset_version` | the version served |
/// | `hollow_dataset_version_age_seconds` | since that version was announced (the producer's clock) |
/// | `hollow_dataset_records{type}` | records of each type in it |
/// | `hollow_dataset_memory_bytes{type}` | the memory each type's data takes |
/// | `hollow_dataset_index_memory_bytes{index, kind}` | the memory each index the consumer keeps takes |
/// | `hollow_service_ready` | 1 once a version is served, else 0 |
/// | `hollow_service_last_refresh_age_seconds` | since the consumer last loaded a version (this process's clock) |
/// | `hollow_service_failed_refreshes_in_a_row` | refreshes failed since the last that loaded a version |
///
/// Their names are apart from the consumer's own metrics (`hollow_consumer_*`, through
/// swift-metrics): a registry refuses one name given two kinds of metric.
final class DatasetMetrics: Sendable {
    private let consumer: Consumer
    private let registry: PrometheusCollectorRegistry
    private let labels: [(String, String)]
    private let refreshes = RefreshClock()
    /// One scrape at a time, so that the gauges emitted are of one version.
    private let gauges = Mutex(Gauges())

    private struct Gauges {
        var ready: Gauge?
        var failuresInARow: Gauge?
        var refreshAge: Gauge?
        var version: Gauge?
        var versionAge: Gauge?
        /// Those of the types of the last state seen, to unregister the types a later version drops.
        var types: [String: (records: Gauge, memory: Gauge)] = [:]
        /// Those of the indexes, by name and kind.
        var indexes: [String: Gauge] = [:]
    }

    init(consumer: Consumer, registry: PrometheusCollectorRegistry) {
        self.consumer = consumer
        self.registry = registry
        labels = [("consumer", consumer.configuration.name)]
        refreshes.follow(consumer)
    }

    /// The registry in Prometheus' text format, the gauges set from the state served now.
    func scrape(now: Date = Date()) -> [UInt8] {
        gauges.withLock { gauges in
            update(&gauges, now: now)
            return registry.emitToBuffer()
        }
    }

    private func gauge(_ subsystem: String, _ name: String, _ unit: String, _ help: String,
                       labels extra: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: .init(namespace: "hollow", subsystem: subsystem, metricName: name, unitName: unit, helpText: help),
                           labels: labels + extra)
    }

    private func update(_ gauges: inout Gauges, now: Date) {
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        let clock = refreshes.reading
        let ready = gauges.ready ?? gauge("service", "ready", "", "1 once the consumer serves a version")
        gauges.ready = ready
        let failures = gauges.failuresInARow ?? gauge("service", "failed_refreshes_in_a_row", "",
                                                      "Refreshes failed since the last that loaded a version")
        gauges.failuresInARow = failures
        failures.set(to: Double(clock.failuresInARow))
        if let last = clock.lastLoadMilliseconds {
            let age = gauges.refreshAge ?? gauge("service", "last_refresh_age", "seconds", "Seconds since the consumer last loaded a version")
            gauges.refreshAge = age
            age.set(to: Double(nowMilliseconds - last) / 1000)
        }
        guard let state = consumer.current else {
            ready.set(to: 0)
            return
        }
        ready.set(to: 1)
        let version = gauges.version ?? gauge("dataset", "version", "", "The version the consumer serves")
        gauges.version = version
        version.set(to: Double(state.version))
        let versionAge = gauges.versionAge ?? gauge("dataset", "version_age", "seconds", "Seconds since the version served was announced")
        gauges.versionAge = versionAge
        versionAge.set(to: Double(nowMilliseconds - state.announcement.timestampMilliseconds) / 1000)

        var seen = Set<String>()
        for type in state.readState.memory.types {
            seen.insert(type.name)
            let pair = gauges.types[type.name] ?? (
                gauge("dataset", "records", "", "Records of each type in the version served", labels: [("type", type.name)]),
                gauge("dataset", "memory", "bytes", "Bytes each type's data takes in memory", labels: [("type", type.name)])
            )
            gauges.types[type.name] = pair
            pair.records.set(to: Double(type.recordCount))
            pair.memory.set(to: Double(type.totalBytes))
        }
        for (name, pair) in gauges.types where !seen.contains(name) {
            registry.unregisterGauge(pair.records)
            registry.unregisterGauge(pair.memory)
            gauges.types[name] = nil
        }
        var seenIndexes = Set<String>()
        for index in state.indexMemory {
            let kind = index.kind == .primaryKey ? "primary-key" : "hash"
            let key = kind + " " + index.name
            seenIndexes.insert(key)
            let memory = gauges.indexes[key] ?? gauge("dataset", "index_memory", "bytes", "Bytes each index the consumer keeps takes",
                                                      labels: [("index", index.name), ("kind", kind)])
            gauges.indexes[key] = memory
            memory.set(to: Double(index.bytes))
        }
        for (key, memory) in gauges.indexes where !seenIndexes.contains(key) {
            registry.unregisterGauge(memory)
            gauges.indexes[key] = nil
        }
    }
}
