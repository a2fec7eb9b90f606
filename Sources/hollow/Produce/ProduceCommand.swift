import ArgumentParser
import Foundation
import Hollow
import HollowCore
import HollowEtcd
import HollowImport

struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Run a producer cycle (or one every --every) from JSON Lines, CSV or TSV files.",
        discussion: """
            Each --source is [TYPE=]FILE: the records of one object type. Without TYPE the file's name \
            names the type (movies.jsonl -> Movie). With --every, each cycle reads the schema and the sources again, so the files are \
            the whole dataset: records no longer in them are removed. Nothing is announced when a \
            source, the schema or a validator is wrong.
            """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("The schema file (docs/SCHEMA.md).", valueName: "file"))
    var schema: String

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Record files, [TYPE=]FILE.", valueName: "file"))
    var source: [String]

    @Option(name: .long, help: ArgumentHelp("The sources' format when their names do not tell it: jsonl, csv or tsv.", valueName: "format"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp("""
        Read FIELD of TYPE from the column (CSV/TSV header) or JSON key NAME: \
        --column Package.rank=rank_among_15000_most_downloaded. Repeat for more.
        """, valueName: "TYPE.FIELD=NAME"))
    var column: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run a cycle every this long (30s, 5m, 1h) until SIGINT or SIGTERM.", valueName: "interval"))
    var every: String?

    @Option(name: .long, help: "A snapshot every this many versions, deltas in between.")
    var snapshotEvery = 10

    @Option(name: .long, help: "Keep the blobs of this many snapshots (and the versions after the oldest).")
    var keepSnapshots = 5

    @Option(name: .long, help: ArgumentHelp("Refuse a state with fewer records of TYPE than N.", valueName: "TYPE=N"))
    var minRecords: [String] = []

    @Option(name: .long, help: ArgumentHelp("Refuse a state whose count of TYPE changed by more than PERCENT.", valueName: "TYPE=PERCENT"))
    var maxChange: [String] = []

    @Option(name: .long, help: ArgumentHelp("""
        Let this cycle empty TYPE (remove all its records). Without it, a type fed by the sources that         had records and would have none is refused (an empty source file, a source left out).
        """, valueName: "TYPE"))
    var allowEmpty: [String] = []

    @Flag(name: .long, help: """
        Start a new dataset in a store whose blob directory holds blobs while its announcement log is         empty or missing (refused without it: the log may have been lost). The old blobs are cleaned.
        """)
    var newDataset = false

    @Option(name: .long, help: ArgumentHelp("Add a tag to the announcements.", valueName: "KEY=VALUE"))
    var tag: [String] = []

    @Option(name: .long, help: "Names this producer in announcements (default: host-pid).")
    var producerID: String?

    @Option(name: .long, help: ArgumentHelp("""
        Run as one of several producers, leader or standby, elected through a lease of this length \
        (the store's leader.lease; with --etcd an etcd lease, whole seconds, at least 2s, default 5s): \
        a standby takes over when the leader's lease runs out.
        """, valueName: "duration"))
    var lease: String?

    func validate() throws {
        guard !source.isEmpty else { throw ValidationError("give at least one --source") }
        guard snapshotEvery >= 1 else { throw ValidationError("--snapshot-every is at least 1") }
        guard keepSnapshots >= 1 else { throw ValidationError("--keep-snapshots is at least 1") }
        if let format, SourceFormat(name: format) == nil { throw ValidationError("--format \(format): use jsonl, csv or tsv") }
        if let every, ScheduleDuration(every) == nil { throw ValidationError("--every \(every): give a duration like 30s, 500ms, 5m or 1h") }
        if let lease {
            guard let duration = ScheduleDuration(lease)?.duration, duration >= .milliseconds(100) else {
                throw ValidationError("--lease \(lease): give a duration of at least 100ms, like 5s")
            }
        }
    }

    func run() async throws {
        try await reportingFailures {
            let schema = try loadSchema()
            let sources = try source.map { try SourceSpec.resolve($0, schema: schema, format: format.flatMap(SourceFormat.init(name:))) }
            // Bad --column names are refused before the store is touched or leadership taken (each
            // cycle checks them again against the schema it reads).
            _ = try importer(schema)
            let producerID = producerID ?? Producer.Configuration.defaultProducerID
            try await storeOptions.withStoreForWriting { blobs, log in
                let election = try makeElection(participantID: producerID, log: log)
                let configuration = Producer.Configuration(producerID: producerID,
                                                           snapshotEvery: snapshotEvery, validators: try validators(schema),
                                                           snapshotsToKeep: keepSnapshots, tags: try tags(),
                                                           allowEmptyTypes: Set(allowEmpty), startsNewDataset: newDataset)
                let producer = Producer(schema: schema, blobStore: blobs, announcementLog: log,
                                        leaderElection: election ?? SoleProducer(), configuration: configuration,
                                        logger: ToolLogging.logger("producer"))
                let stop = await StopSignal()
                if election != nil {
                    guard try await lead(producer, stop) else { return }
                }
                guard let every = every.flatMap(ScheduleDuration.init)?.duration else {
                    do { try await cycle(producer, sources, schema: schema) } catch {
                        await producer.resign()
                        throw error
                    }
                    await producer.resign()
                    return
                }
                var currentSchema = schema
                var failures = 0
                while !stop.isRequested {
                    let started = ContinuousClock.now
                    do {
                        // The schema file is read again too: a field added to it joins the next cycle.
                        let schema = try loadSchema()
                        if schema != currentSchema {
                            await producer.setSchema(schema)
                            currentSchema = schema
                        }
                        let sources = try source.map { try SourceSpec.resolve($0, schema: schema, format: format.flatMap(SourceFormat.init(name:))) }
                        try await cycle(producer, sources, schema: schema)
                        failures = 0
                    } catch let error as ProducerError where election != nil && error.meansStandby {
                        // Deposed (a lease that ran out, a pause): nothing was announced. Stand by.
                        Terminal.error("hollow: \(error); standing by")
                        guard try await lead(producer, stop) else { break }
                        continue
                    } catch let error as ProducerError where error.isAnotherProducer {
                        // Two producers on one store without an election: going on would make the two
                        // datasets take turns. Stop, saying how to run them.
                        await producer.resign()
                        throw ToolFailure.from(error)
                    } catch {
                        // A scheduled producer keeps going: the next cycle reads the sources again.
                        failures += 1
                        let failure = ToolFailure.from(error)
                        Terminal.error("hollow: error: \(failure.message) (cycle failed; next in \(every))")
                        if let next = failure.next { Terminal.error("hollow: next: \(next)") }
                    }
                    await stop.sleep(every - (ContinuousClock.now - started))
                }
                await producer.resign()
                if failures > 0 { throw ToolFailure(.dataError, "stopped; the last \(failures) cycle(s) failed") }
            }
        }
    }

    /// The election of `--lease`, or of `--etcd` (where producers are always elected; 5 s lease by
    /// default). Nil: this producer is the store's only one.
    private func makeElection(participantID: String, log: any AnnouncementLog) throws -> (any LeaderElection)? {
        let duration = lease.flatMap(ScheduleDuration.init)?.duration
        if let connection = try storeOptions.etcdConnection() {
            return EtcdLeaderElection(connection: connection, prefix: storeOptions.etcdPrefix, participantID: participantID,
                                      leaseTTL: duration ?? .seconds(5), logger: ToolLogging.logger("election"))
        }
        guard let duration else { return nil }
        let leaseFile = try storeOptions.storeDirectory(for: "--lease on files") + "/leader.lease"
        do {
            return FileLeaderElection(lease: try LeaseFile(path: leaseFile), participantID: participantID,
                                      leaseDuration: duration, announcementLog: log, logger: ToolLogging.logger("election"))
        } catch {
            throw ToolFailure(.cannotCreate, "\(error)")
        }
    }

    /// Waits as a standby until this producer leads (and has loaded the last announced state).
    /// False when a stop was requested first. A scheduled producer rides out an election that
    /// cannot be reached (etcd down), trying again with backoff; a single cycle fails at once.
    private func lead(_ producer: Producer, _ stop: StopSignal) async throws -> Bool {
        Terminal.error("hollow: standby: waiting for leadership")
        var backoff = Duration.seconds(1)
        while true {
            do {
                guard let leadership = try await stop.unlessStopped({ try await producer.waitForLeadership() }) else {
                    await producer.resign()  // the campaign may have won just as the stop came
                    return false
                }
                let version = await producer.lastAnnounced?.version
                Terminal.error("hollow: leading with term \(leadership.term)\(version.map { ", continuing from version \($0)" } ?? "")")
                return true
            } catch let error as ProducerError where every != nil {
                // Won but cannot go on (the last version does not load), or the election is out
                // of reach: let a standby try while this one backs off.
                await producer.resign()
                Terminal.error("hollow: error: \(ToolFailure.from(error).message) (standby; trying again in \(backoff))")
                await stop.sleep(backoff)
                if stop.isRequested { return false }
                backoff = min(backoff * 2, .seconds(30))
            } catch {
                throw ToolFailure.from(error)
            }
        }
    }

    private func loadSchema() throws -> Schema {
        let resolved = URL(fileURLWithPath: schema).resolvingSymlinksInPath().path
        guard let text = try? String(contentsOfFile: resolved, encoding: .utf8) else {
            throw ToolFailure(.noInput, "the schema file \(schema) does not exist or is not UTF-8 text")
        }
        do {
            return try Schema(parsing: text)
        } catch {
            throw ToolFailure(.dataError, "\(schema): \(error)")
        }
    }

    private func cycle(_ producer: Producer, _ sources: [SourceSpec], schema: Schema) async throws {
        let started = ContinuousClock.now
        let fresh = try importer(schema)
        let showProgress = !output.json
        let sources = sources.map { $0.resolvingLinks() }
        var reading = Duration.zero
        let outcome = try await producer.runCycle { state in
            // The importer (and the keys it tracks, tens of megabytes for a large file) lives
            // while the sources are read, not while the blobs are written.
            var importer = fresh
            for source in sources {
                let readStarted = ContinuousClock.now
                let file = try source.read()
                reading += ContinuousClock.now - readStarted
                let progress = Progress("reading \(source.path)", total: file.count, enabled: showProgress)
                let count = try importer.importRecords(from: file, format: source.format, type: source.type, file: source.path,
                                                       into: state, progress: progress.update)
                progress.finish("\(count) \(source.type) records, \(Terminal.formatBytes(file.count))")
            }
        }
        report(outcome, duration: ContinuousClock.now - started, stages: await producer.lastCycleStages, reading: reading)
    }

    /// The cycle's stages as the tool shows them: the producer's populating split into reading the
    /// files and importing them (parsing and adding the records, one pass).
    private func stageFigures(_ stages: CycleStages, reading: Duration) -> [(name: String, milliseconds: Double)] {
        func ms(_ duration: Duration) -> Double { Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15 }
        var figures: [(String, Double)] = [("preparing", ms(stages.preparing)), ("reading", ms(reading)),
                                           ("importing", ms(stages.populating - reading))]
        for (name, duration) in stages.named.dropFirst(2) { figures.append((name, ms(duration))) }
        return figures
    }

    private func report(_ outcome: CycleOutcome, duration: Duration, stages: CycleStages?, reading: Duration) {
        let figures = stages.map { stageFigures($0, reading: reading) } ?? []
        switch outcome {
        case .unchanged(let version):
            if output.json {
                Terminal.line(Terminal.json(["announced": false, "version": version.map { $0 as Any } ?? NSNull()]))
            } else {
                Terminal.line(version.map { "no change: consumers stay on version \($0)" } ?? "no change: the dataset is empty and nothing was announced")
            }
        case .announced(let announcement, let changes):
            let kind = announcement.delta == nil ? "snapshot" : "delta from \(announcement.previousVersion.map(String.init) ?? "?")"
            if output.json {
                var types: [String: Any] = [:]
                for (name, change) in changes {
                    types[name] = ["added": change.added, "removed": change.removed, "records": change.recordCount]
                }
                Terminal.line(Terminal.json([
                    "announced": true, "version": announcement.version,
                    "previousVersion": announcement.previousVersion.map { $0 as Any } ?? NSNull(),
                    "snapshotBytes": announcement.snapshot?.size ?? 0, "deltaBytes": announcement.delta?.size ?? 0,
                    "milliseconds": Int(duration.milliseconds),
                    "stagesMilliseconds": Dictionary(uniqueKeysWithValues: figures.map { ($0.name, ($0.milliseconds * 10).rounded() / 10) }),
                    "types": types,
                ]))
                return
            }
            Terminal.line("version \(announcement.version) announced (\(kind)) in \(Terminal.formatDuration(duration))")
            for name in changes.keys.sorted() {
                let change = changes[name]!
                guard change.added > 0 || change.removed > 0 || announcement.delta == nil else { continue }
                Terminal.line("  \(name): \(change.recordCount) records, +\(change.added) -\(change.removed)")
            }
            let sizes = [("snapshot", announcement.snapshot), ("delta", announcement.delta), ("reverse delta", announcement.reverseDelta)]
                .compactMap { name, blob in blob.map { "\(name) \(Terminal.formatBytes($0.size))" } }
            Terminal.line("  blobs: \(sizes.joined(separator: ", "))")
            if !figures.isEmpty {
                Terminal.line("  stages: " + figures.map { "\($0.name) \(String(format: "%.1f", $0.milliseconds)) ms" }.joined(separator: ", "))
            }
        }
    }

    private func validators(_ schema: Schema) throws -> [any Validator] {
        var validators: [any Validator] = []
        for text in minRecords {
            let (type, value) = try pair(text, option: "--min-records", schema: schema)
            guard let minimum = Int(value), minimum >= 0 else { throw ToolFailure(.usage, "--min-records \(text): N is a count") }
            validators.append(MinimumRecordCountValidator(type: type, minimum: minimum))
        }
        for text in maxChange {
            let (type, value) = try pair(text, option: "--max-change", schema: schema)
            guard let percent = Double(value.hasSuffix("%") ? String(value.dropLast()) : value), percent >= 0 else {
                throw ToolFailure(.usage, "--max-change \(text): PERCENT is a number")
            }
            validators.append(RecordCountChangeValidator(type: type, maximumChangePercent: percent))
        }
        for type in allowEmpty where schema[type] == nil {
            throw ToolFailure(.usage, "--allow-empty \(type): the schema has no type '\(type)'")
        }
        return validators
    }

    /// This cycle's importer, with the `--column` names checked against this cycle's schema.
    private func importer(_ schema: Schema) throws -> RecordImporter {
        var names: [String: [String: String]] = [:]
        for text in column {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let dot = parts[0].firstIndex(of: "."), !parts[1].isEmpty else {
                throw ToolFailure(.usage, "--column \(text): write TYPE.FIELD=NAME", next: Self.columnHelp)
            }
            let type = String(parts[0][..<dot]), field = String(parts[0][parts[0].index(after: dot)...])
            guard names[type]?[field] == nil else {
                throw ToolFailure(.usage, "--column \(text): \(type).\(field) is named twice", next: Self.columnHelp)
            }
            names[type, default: [:]][field] = parts[1]
        }
        do {
            return try RecordImporter(schema: schema, sourceNames: names)
        } catch {
            throw ToolFailure(.usage, "--column: \(error)", next: Self.columnHelp)
        }
    }

    private static let columnHelp = "give --column TYPE.FIELD=NAME for a field of the schema, NAME being the column of the "
        + "file's header (CSV, TSV) or the JSON key that holds it"

    private func pair(_ text: String, option: String, schema: Schema) throws -> (String, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ToolFailure(.usage, "\(option) \(text): write TYPE=VALUE") }
        guard schema[parts[0]] != nil else { throw ToolFailure(.usage, "\(option) \(text): the schema has no type '\(parts[0])'") }
        return (parts[0], parts[1])
    }

    private func tags() throws -> [String: String] {
        var tags: [String: String] = [:]
        for text in tag {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ToolFailure(.usage, "--tag \(text): write KEY=VALUE") }
            tags[parts[0]] = parts[1]
        }
        return tags
    }
}
