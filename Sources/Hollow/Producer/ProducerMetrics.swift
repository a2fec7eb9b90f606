import Metrics

/// The producer's metrics (swift-metrics), dimensioned by producer id.
struct ProducerMetrics: Sendable {
    let cycleDuration: Metrics.Timer
    let announcedCycles: Counter
    let unchangedCycles: Counter
    let failedCycles: Counter
    let version: Gauge
    let blobBytes: Counter
    let term: Gauge
    let fencedAnnouncements: Counter
    let abandonedRestores: Counter
    let stageDurations: [String: Metrics.Timer]

    init(producerID: String, factory: (any MetricsFactory)? = nil) {
        let dimensions = [("producer", producerID)]
        let factory = factory ?? MetricsSystem.factory
        cycleDuration = Metrics.Timer(label: "hollow_producer_cycle_duration", dimensions: dimensions, factory: factory)
        announcedCycles = Counter(label: "hollow_producer_cycles", dimensions: dimensions + [("outcome", "announced")], factory: factory)
        unchangedCycles = Counter(label: "hollow_producer_cycles", dimensions: dimensions + [("outcome", "unchanged")], factory: factory)
        failedCycles = Counter(label: "hollow_producer_cycles", dimensions: dimensions + [("outcome", "failed")], factory: factory)
        version = Gauge(label: "hollow_producer_version", dimensions: dimensions, factory: factory)
        blobBytes = Counter(label: "hollow_producer_blob_bytes_written", dimensions: dimensions, factory: factory)
        term = Gauge(label: "hollow_producer_leader_term", dimensions: dimensions, factory: factory)
        fencedAnnouncements = Counter(label: "hollow_producer_fenced_announcements", dimensions: dimensions, factory: factory)
        abandonedRestores = Counter(label: "hollow_producer_unrestorable_states", dimensions: dimensions, factory: factory)
        stageDurations = Dictionary(uniqueKeysWithValues: CycleStages().named.map { stage in
            (stage.name, Metrics.Timer(label: "hollow_producer_stage_duration", dimensions: dimensions + [("stage", stage.name)], factory: factory))
        })
    }

    /// The stages of an announced cycle.
    func recordStages(_ stages: CycleStages) {
        for (name, duration) in stages.named { stageDurations[name]?.recordNanoseconds(duration.nanoseconds) }
    }

    func recordCycle(_ outcome: CycleOutcome, duration: Duration) {
        cycleDuration.recordNanoseconds(duration.nanoseconds)
        switch outcome {
        case .announced: announcedCycles.increment()
        case .unchanged: unchangedCycles.increment()
        }
    }

    func cycleFailed() { failedCycles.increment() }
    func announced(_ newVersion: UInt64) { version.record(Double(newVersion)) }
    func blobWritten(_ bytes: Int) { blobBytes.increment(by: bytes) }
    func becameLeader(term newTerm: UInt64) { term.record(Double(newTerm)) }
    func fenced() { fencedAnnouncements.increment() }
    func restoreAbandoned() { abandonedRestores.increment() }
}
