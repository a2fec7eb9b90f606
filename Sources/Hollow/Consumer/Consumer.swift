import Atomics
import HollowCore
import Logging
import Synchronization

/// Keeps an in-memory read state at the version the announcement log wants (the latest, or the
/// pinned one), and hands it to readers without locks.
///
///     let consumer = Consumer(blobStore: store, announcementLog: log,
///                             configuration: .init(indexes: [.primaryKey("Movie")]))
///     try await consumer.refresh()
///     if let state = consumer.current, let ordinal = state.primaryKeyIndex("Movie")?.ordinal(Int64(42)) { ... }
///
/// ``watch()`` (or running the consumer as a swift-service-lifecycle `Service`) refreshes whenever
/// the log changes. A refresh that fails leaves the last good state served, reports a typed
/// error (``RefreshError``), and is tried again with backoff. <doc:ProducersAndConsumers> says what
/// a refresh does and how the consumer behaves when something fails.
public final class Consumer: Sendable {
    public let configuration: Configuration
    private let store: any BlobStore
    private let log: any AnnouncementLog
    private let logger: Logger
    private let metrics: ConsumerMetrics
    private let published = BorrowableReference<ConsumerState>()
    private let refreshes = TurnLock()
    /// What makes each view's handles (`view(_:)`), by the view's slot in every state; they hold
    /// no view and no consumer, so that neither holds the other.
    private let viewMakers = Mutex<[any ViewMaker]>([])
    /// States replaced, to warn when one stays alive (held by a request, or by a view's handles).
    private let replaced = Mutex<[ReplacedState]>([])

    private struct ReplacedState {
        weak var state: ConsumerState?
        let version: UInt64
        let publishesSince: Int
    }
    private let listeners = Mutex<[@Sendable (RefreshEvent) -> Void]>([])
    private let cache: LocalBlobCache?
    private let images = Mutex(ImageBookkeeping())

    /// What the consumer knows of its local image (`Configuration.localImage`).
    private struct ImageBookkeeping {
        /// Whether the first refresh tried to start from the image.
        var triedStart = false
        /// The version of the image in the cache, and when this process wrote it.
        var version: UInt64?
        var written: ContinuousClock.Instant?
        /// Whether the state served is the image's, not yet brought up to date by a refresh.
        var servingImage = false
    }

    /// A consumer of the versions announced in `announcementLog`, fetching their blobs from
    /// `blobStore`. It serves nothing (``current`` is nil) until a refresh loads a version, or, with
    /// a local cache configured, until a refresh that fails serves the version cached there.
    public init(blobStore: any BlobStore, announcementLog: any AnnouncementLog,
                configuration: Configuration = Configuration(), logger: Logger = Logger(label: "hollow.consumer")) {
        self.configuration = configuration
        self.store = blobStore
        self.log = announcementLog
        var logger = logger
        logger[metadataKey: "consumer"] = "\(configuration.name)"
        self.logger = logger
        self.metrics = ConsumerMetrics(name: configuration.name, factory: configuration.metricsFactory)
        if let directory = configuration.localCacheDirectory {
            do { cache = try LocalBlobCache(directory: directory) } catch {
                logger.error("local cache unusable, going without", metadata: ["directory": "\(directory)", "error": "\(error)"])
                cache = nil
            }
        } else {
            cache = nil
        }
        if configuration.localImage != nil && configuration.localCacheDirectory == nil {
            logger.warning("a local image needs a local cache directory: going without")
        }
    }

    /// The state served now (nil before the first successful refresh), as a strong reference.
    /// Never blocks. It counts one reference on the state, a word every thread that takes it
    /// writes: take it once per request, not once per field. For a hot path, ``view(_:)`` resolves
    /// what requests read once per version and lends it with no reference counted.
    public var current: ConsumerState? { published.withBorrowed { $0 } }

    /// Calls `body` with the state served now (nil before the first successful refresh), borrowed:
    /// no reference is counted (`BorrowableReference`). Never blocks. `body` must not keep the
    /// state beyond its return. Internal: on two cores it measured no faster than `current` per
    /// request (the reference counts of the index, type and field handles a request copies out of
    /// the state dominate); ``ConsumerView`` is the public way to borrow, and removes those too.
    func withCurrent<R>(_ body: (ConsumerState?) throws -> R) rethrows -> R {
        try published.withBorrowed(body)
    }

    /// `withCurrent` with the state unmanaged (see `BorrowableReference.withBorrowedUnmanaged`).
    func withCurrentUnmanaged<R>(_ body: (Unmanaged<ConsumerState>?) throws -> R) rethrows -> R {
        try published.withBorrowedUnmanaged(body)
    }

    /// A view: handles that `make` resolves once per version (indexes, object types, fields), which
    /// requests then borrow with no reference counted (``ConsumerView``). The handles are made for
    /// the version served now before this returns, and for every later version before it is served.
    /// At most 64 views in a consumer's life.
    public func view<Handles: AnyObject & Sendable>(
        _ make: @escaping @Sendable (ConsumerState) throws -> Handles
    ) throws(ConsumerViewError) -> ConsumerView<Handles> {
        let made: ConsumerView<Handles>.Maker? = viewMakers.withLock { makers in
            guard makers.count < ConsumerState.maximumViews else { return nil }
            let maker = ConsumerView<Handles>.Maker(slot: makers.count, logger: logger, make: make)
            makers.append(maker)
            return maker
        }
        guard let maker = made else { throw .tooManyViews(limit: ConsumerState.maximumViews) }
        let view = ConsumerView(consumer: self, maker: maker)
        if let served = current {
            do throws(RefreshError) { try maker.makeHandles(of: served) } catch { throw .handles(error) }
        }
        return view
    }

    public var currentVersion: UInt64? { current?.version }

    /// Listeners are called after each refresh that changed the version and each failed one, on
    /// the refreshing task; keep them short.
    public func addRefreshListener(_ listener: @escaping @Sendable (RefreshEvent) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Brings the served state to the version the log wants: the pinned one, else the latest.
    @discardableResult
    public func refresh() async throws(RefreshError) -> RefreshReport {
        try await refresh(to: nil)
    }

    /// Brings the served state to `version` (nil: the one the log wants). Refreshes run one at a
    /// time. On failure the served state does not change; with a local cache configured and
    /// nothing served yet, the cached version is served and the error is still thrown.
    @discardableResult
    public func refresh(to version: UInt64?) async throws(RefreshError) -> RefreshReport {
        await refreshes.acquire()
        if current == nil { startFromImage() }
        do {
            let report = try await refreshFromStore(to: version)
            await refreshes.release()
            return report
        } catch {
            metrics.failed()
            logger.error("refresh failed, still serving the last good state", metadata: [
                "error": "\(error)", "version": "\(currentVersion.map(String.init) ?? "none")",
            ])
            if current == nil || images.withLock({ $0.servingImage }) { await startFromCache() }
            notify(.failed(error, servingVersion: currentVersion))
            await refreshes.release()
            throw error
        }
    }

    private func refreshFromStore(to requested: UInt64?) async throws(RefreshError) -> RefreshReport {
        let started = ContinuousClock.now
        let history: AnnouncementHistory
        do { history = try await log.history() } catch { throw .announcementLog(error) }
        guard let wanted = requested ?? history.wantedVersion else { throw .nothingAnnounced }
        guard let announcement = history.announcement(of: wanted) else { throw .versionNotAnnounced(wanted) }
        let current = self.current
        if let current, current.version == wanted, current.readState.stateID == announcement.stateID {
            // The log confirms the version served (the image's, say): a later outage keeps it.
            images.withLock { $0.servingImage = false }
            return RefreshReport(fromVersion: wanted, toVersion: wanted, steps: [], bytesFetched: 0,
                                 duration: ContinuousClock.now - started, source: .blobStore, failuresPlannedAround: [])
        }
        // The served state is a starting point only if the log still knows its version as that
        // state (a log started afresh reuses version numbers for other states).
        let base = current.flatMap { history.announcement(of: $0.version)?.stateID == $0.readState.stateID ? $0 : nil }
        var fetched: [BlobName: [UInt8]] = [:]
        let (state, outcome) = try await update(base, to: wanted, history: history, store: store) { step, bytes in
            if self.cache != nil { fetched[step.blob.name] = bytes }
        }
        let report = RefreshReport(fromVersion: current?.version, toVersion: wanted, steps: outcome.steps,
                                   bytesFetched: outcome.bytesFetched, duration: ContinuousClock.now - started,
                                   source: .blobStore, failuresPlannedAround: outcome.failures)
        try publish(state, report)
        images.withLock { $0.servingImage = false }
        if let cache {
            saveImage(state, in: cache)
            do {
                try await cache.save(version: wanted, history: history, planner: planner, imageVersion: images.withLock { $0.version },
                                     fetched: fetched, source: store)
            } catch {
                logger.warning("saving to the local cache failed", metadata: ["error": "\(error)"])
            }
        }
        return report
    }

    /// Serves the version held in the local cache, if there is one: from the state served when
    /// it is the image's (by the deltas the cache keeps from it), else from the cache's snapshot.
    private func startFromCache() async {
        guard let cache else { return }
        let started = ContinuousClock.now
        do {
            let history = try await cache.manifest()
            let wanted = history.pinnedVersion!
            let current = self.current
            if let current, current.version >= wanted { return }
            let base = current.flatMap { history.announcement(of: $0.version)?.stateID == $0.readState.stateID ? $0 : nil }
            let (state, outcome) = try await update(base, to: wanted, history: history, store: cache.store) { _, _ in }
            let report = RefreshReport(fromVersion: current?.version, toVersion: wanted, steps: outcome.steps, bytesFetched: outcome.bytesFetched,
                                       duration: ContinuousClock.now - started, source: .localCache,
                                       failuresPlannedAround: outcome.failures)
            try publish(state, report)
            images.withLock { $0.servingImage = false }
        } catch {
            logger.error("the local cache cannot be loaded either", metadata: ["error": "\(error)"])
        }
    }

    /// Serves the local image at once, once, when one is configured and nothing is served yet.
    /// An image that cannot be read is logged and left for the next one to replace.
    private func startFromImage() {
        guard let cache, let options = configuration.localImage, !images.withLock({ $0.triedStart }) else { return }
        images.withLock { $0.triedStart = true }
        let started = ContinuousClock.now
        let opened: (StateImage, Announcement)
        do throws(StateImageError) { opened = try cache.openImage(check: options.check) } catch {
            if case .unreadable(_, let why) = error, why.contains("No such file") {
                logger.info("no local image yet", metadata: ["path": "\(cache.imagePath)"])
            } else {
                logger.warning("the local image cannot be served, loading blobs instead", metadata: ["error": "\(error)"])
            }
            return
        }
        let (image, announcement) = opened
        guard announcement.stateID == image.state.stateID else {
            logger.warning("the local image's announcement is not of its state, loading blobs instead", metadata: ["path": "\(cache.imagePath)"])
            return
        }
        let indexes: ConsumerIndexes
        do { indexes = try ConsumerIndexes(image: image, definitions: configuration.indexes) } catch {
            logger.warning("the local image's indexes cannot be served, loading blobs instead", metadata: ["error": "\(error)"])
            return
        }
        let state = ConsumerState(announcement: announcement, readState: image.state, indexes: indexes)
        let report = RefreshReport(fromVersion: nil, toVersion: announcement.version, steps: [], bytesFetched: 0,
                                   duration: ContinuousClock.now - started, source: .localImage, failuresPlannedAround: [])
        do throws(RefreshError) { try publish(state, report) } catch {
            logger.warning("the local image cannot be served, loading blobs instead", metadata: ["error": "\(error)"])
            return
        }
        images.withLock {
            $0.version = announcement.version
            $0.servingImage = true
        }
    }

    /// Writes the image of `state` when the configured interval has passed since the last one.
    private func saveImage(_ state: ConsumerState, in cache: LocalBlobCache) {
        guard let options = configuration.localImage else { return }
        let now = ContinuousClock.now
        let due = images.withLock { bookkeeping in
            bookkeeping.version != state.version && (bookkeeping.written.map { now - $0 >= options.interval } ?? true)
        }
        guard due else { return }
        do {
            try cache.saveImage(of: state)
            images.withLock {
                $0.version = state.version
                $0.written = now
            }
            logger.info("local image written", metadata: ["version": "\(state.version)", "duration": "\(ContinuousClock.now - now)"])
        } catch {
            logger.warning("writing the local image failed", metadata: ["error": "\(error)"])
        }
    }

    private var planner: UpdatePlanner { UpdatePlanner(maximumChainLength: configuration.maximumChainLength) }

    /// The state at `wanted`, with its indexes, built beside `current` (which stays served).
    private func update(_ current: ConsumerState?, to wanted: UInt64, history: AnnouncementHistory, store: any BlobStore,
                        fetched: (UpdateStep, [UInt8]) -> Void) async throws(RefreshError) -> (ConsumerState, StateUpdater.Outcome) {
        var indexes = current?.indexes ?? ConsumerIndexes()
        let definitions = configuration.indexes
        let updater = StateUpdater(store: store, planner: planner)
        let outcome = try await updater.update(
            from: current.map { ($0.version, $0.readState) }, to: wanted, history: history,
            afterStep: { (_, state) throws(RefreshError) in indexes = try indexes.following(definitions, to: state) },
            fetched: fetched)
        if outcome.steps.isEmpty { indexes = try indexes.following(definitions, to: outcome.state) }
        let state = ConsumerState(announcement: history.announcement(of: wanted)!, readState: outcome.state, indexes: indexes)
        return (state, outcome)
    }

    /// Serves `state`, once every view's handles are made for it (no request pays for making
    /// them; a view that cannot make them keeps the last good version served).
    private func publish(_ state: ConsumerState, _ report: RefreshReport) throws(RefreshError) {
        for maker in viewMakers.withLock({ $0 }) where maker.isLive { try maker.makeHandles(of: state) }
        let previous = current
        published.store(state)
        if let previous { watchReplaced(previous) }
        metrics.refreshed(report, memory: state.readState.memory.totalBytes)
        logger.info("refreshed", metadata: [
            "version": "\(report.toVersion)", "from": "\(report.fromVersion.map(String.init) ?? "none")",
            "path": "\(report.path)", "bytes": "\(report.bytesFetched)", "duration": "\(report.duration)",
            "source": "\(report.source.rawValue)",
        ])
        for failure in report.failuresPlannedAround {
            logger.warning("planned around a bad blob", metadata: ["error": "\(failure)"])
        }
        notify(.refreshed(report))
    }

    /// Remembers a replaced state weakly; warns once about any still alive three publishes later.
    /// A request may hold a state for a while, not for three refreshes: a state that lives that long
    /// is held by something that keeps it (a view's handles holding their state, a cache of `current`).
    private func watchReplaced(_ state: ConsumerState) {
        let leaked = replaced.withLock { replaced -> [UInt64] in
            replaced = replaced.compactMap { entry in
                entry.state == nil ? nil : ReplacedState(state: entry.state, version: entry.version, publishesSince: entry.publishesSince + 1)
            }
            var leaked: [UInt64] = []
            replaced.removeAll { entry in
                guard entry.publishesSince >= 3 else { return false }
                leaked.append(entry.version)
                return true
            }
            replaced.append(ReplacedState(state: state, version: state.version, publishesSince: 0))
            return leaked
        }
        for version in leaked {
            logger.warning("a replaced state is still alive three refreshes later: something holds it (a view's handles holding their ConsumerState, a kept `current`)",
                           metadata: ["version": "\(version)"])
        }
    }

    private func notify(_ event: RefreshEvent) {
        for listener in listeners.withLock({ $0 }) { listener(event) }
    }

    /// Refreshes now and whenever the announcement log changes, until the task is cancelled. A
    /// failed refresh is retried with exponential backoff (`Configuration.retryBackoff`).
    public func watch() async {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let changes = log.watch()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in changes { wake.yield() }
                wake.finish()
            }
            group.addTask {
                for await _ in wakeups {
                    var failures = 0
                    while !Task.isCancelled {
                        do {
                            try await self.refresh()
                            break
                        } catch {
                            failures += 1
                            do { try await Task.sleep(for: self.configuration.retryBackoff.delay(afterFailures: failures)) } catch { break }
                        }
                    }
                }
            }
        }
    }
}
