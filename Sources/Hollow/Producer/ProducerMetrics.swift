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

    init(producerID: String) {
        let dimensions = [("producer", producerID)]
        cycleDuration = Metrics.Timer(label: "hollow_producer_cycle_duration", dimensions: dimensions)
        announcedCycles = Counter(label: "hollow_producer_cycles", dimensions: dimensions + [("outcome", "announced")])
        unchangedCycles = Counter(label: "hollow_producer_cycles", dimensions: dimensions + [("outcome", "unchanged")])
        failedCycles = Counter(label: "hollow_producer_cycles", dimensions: dimensions + [("outcome", "failed")])
        version = Gauge(label: "hollow_producer_version", dimensions: dimensions)
        blobBytes = Counter(label: "hollow_producer_blob_bytes_written", dimensions: dimensions)
        term = Gauge(label: "hollow_producer_leader_term", dimensions: dimensions)
        fencedAnnouncements = Counter(label: "hollow_producer_fenced_announcements", dimensions: dimensions)
        abandonedRestores = Counter(label: "hollow_producer_unrestorable_states", dimensions: dimensions)
        stageDurations = Dictionary(uniqueKeysWithValues: CycleStages().named.map { stage in
            (stage.name, Metrics.Timer(label: "hollow_producer_stage_duration", dimensions: dimensions + [("stage", stage.name)]))
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
